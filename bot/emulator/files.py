"""Bot API methods that send and fetch files: sendPhoto, sendDocument, getFile."""

from bot.emulator.errors import bad_request
from bot.emulator.messages import deliver, formatted_content
from bot.emulator.params import Json, Params, Upload
from bot.emulator.state import StoredFile, World

PHOTO_SIZES = ((90, 68), (320, 240), (800, 600))


def _stored_file(world: World, params: Params, kind: str, chat_id: int) -> StoredFile:
    given = params.file(kind)
    if given is None:
        raise bad_request(f"there is no {kind} in the request")
    if isinstance(given, Upload):
        if not given.data:
            raise bad_request("file must be non-empty")
        mime_type = given.content_type or "application/octet-stream"
        return world.new_file(
            kind, chat_id, file_name=given.filename, mime_type=mime_type, data=given.data
        )
    if known := find_file(world, given):
        return known
    if given.startswith(("http://", "https://")):
        name = given.rsplit("/", 1)[-1] or None
        return world.new_file(kind, chat_id, file_name=name, mime_type=None, data=b"")
    raise bad_request("wrong file identifier/HTTP URL specified")


def _photo_sizes(stored: StoredFile) -> list[Json]:
    return [
        {
            "file_id": f"{stored.file_id}{index}",
            "file_unique_id": f"{stored.file_unique_id}{index}",
            "width": width,
            "height": height,
            "file_size": max(1, len(stored.data) * (index + 1) // len(PHOTO_SIZES)),
        }
        for index, (width, height) in enumerate(PHOTO_SIZES)
    ]


def _document(stored: StoredFile) -> Json:
    document: Json = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
    if stored.file_name:
        document["file_name"] = stored.file_name
    if stored.mime_type:
        document["mime_type"] = stored.mime_type
    document["file_size"] = len(stored.data)
    return document


async def _send_file(world: World, params: Params, kind: str) -> Json:
    log = world.chat(params.chat_id())
    caption, source = formatted_content(params, "caption")
    stored = _stored_file(world, params, kind, int(log.chat["id"]))
    media = _photo_sizes(stored) if kind == "photo" else _document(stored)
    message = deliver(world, log, params, {kind: media, **caption}, source)
    stored.caption = caption.get("caption")
    log.files.append(stored)
    return message


async def send_photo(world: World, params: Params) -> Json:
    """sendPhoto."""
    return await _send_file(world, params, "photo")


async def send_document(world: World, params: Params) -> Json:
    """sendDocument."""
    return await _send_file(world, params, "document")


def find_file(world: World, file_id: str) -> StoredFile | None:
    """Return a stored file by its file_id, or by the file_id of one of its photo sizes."""
    return world.files.get(file_id) or world.files.get(file_id[:-1])


async def get_file(world: World, params: Params) -> Json:
    """getFile."""
    stored = find_file(world, params.text("file_id") or "")
    if stored is None:
        raise bad_request("invalid file_id")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.data),
        "file_path": stored.file_path,
    }


HANDLERS = {"sendphoto": send_photo, "senddocument": send_document, "getfile": get_file}
