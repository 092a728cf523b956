"""Bot API error responses, worded as Telegram words them."""

from typing import Any

STANDARD_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


class ApiError(Exception):
    """An error the fake Bot API answers with `{"ok": false, ...}`."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def to_json(self) -> dict[str, Any]:
        """Return the response body Telegram would send."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    """Return a 400 error with Telegram's `Bad Request: ` prefix."""
    return ApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> ApiError:
    """Return a 403 error with Telegram's `Forbidden: ` prefix."""
    return ApiError(403, f"Forbidden: {detail}")


def too_many_requests(retry_after: int) -> ApiError:
    """Return a 429 flood-control error carrying `retry_after`."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)


def standard_error(
    code: int, description: str | None = None, retry_after: int | None = None
) -> ApiError:
    """Return an error for `code`, with Telegram's usual description unless one is given."""
    if code == 429 and description is None:
        return too_many_requests(retry_after or 1)
    text = description or STANDARD_DESCRIPTIONS.get(code, f"Error {code}")
    return ApiError(code, text, retry_after)
