"""Telegram's MarkdownV2 and legacy Markdown parse modes: plain text and entities, or errors."""

from dataclasses import dataclass, field

from bot.emulator.errors import ApiError
from bot.emulator.html_entities import Json, cant_parse, utf16_len

RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
V2_MARKERS = {"__": "underline", "||": "spoiler", "*": "bold", "_": "italic", "~": "strikethrough"}
LEGACY_MARKERS = {"*": "bold", "_": "italic"}
LEGACY_ESCAPABLE = frozenset("_*`[")
ENTITY_NAMES = {
    "bold": "Bold", "italic": "Italic", "underline": "Underline", "strikethrough": "Strikethrough",
    "spoiler": "Spoiler", "code": "Code", "pre": "Pre", "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}  # fmt: skip
LINK_KINDS = ("text_link", "custom_emoji")


@dataclass
class _Open:
    kind: str
    offset: int
    byte_offset: int


@dataclass
class _MarkdownParser:
    source: str
    v2: bool
    position: int = 0
    length: int = 0
    quote_start: int | None = None
    plain: list[str] = field(default_factory=list)
    open: list[_Open] = field(default_factory=list)
    entities: list[Json] = field(default_factory=list)

    def run(self) -> tuple[str, list[Json]]:
        while self.position < len(self.source):
            self.step()
        if self.open:
            raise self.unclosed(self.open[-1])
        self.end_quote(self.length)
        self.entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
        return "".join(self.plain), self.entities

    def unclosed(self, opened: _Open) -> ApiError:
        if self.v2:
            name = ENTITY_NAMES[opened.kind]
            return cant_parse(
                f"Can't find end of {name} entity at byte offset {opened.byte_offset}"
            )
        return cant_parse(
            f"Can't find end of the entity starting at byte offset {opened.byte_offset}"
        )

    def here(self, kind: str) -> _Open:
        return _Open(kind, self.length, len(self.source[: self.position].encode()))

    def emit(self, text: str, advance: int) -> None:
        self.plain.append(text)
        self.length += utf16_len(text)
        self.position += advance

    def add_entity(self, opened: _Open, **extra: str) -> None:
        length = self.length - opened.offset
        if length > 0:
            self.entities.append({"type": opened.kind, "offset": opened.offset, "length": length})
            self.entities[-1].update(extra)

    def step(self) -> None:
        source, position = self.source, self.position
        char = source[position]
        at_line_start = position == 0 or source[position - 1] == "\n"
        if self.v2 and at_line_start and self.quote(char):
            return
        following = source[position + 1] if position + 1 < len(source) else ""
        if char == "\\" and following and (self.v2 or following in LEGACY_ESCAPABLE):
            self.emit(following, 2)
        elif char == "`":
            self.code()
        elif char in "[]!" and self.link(char, following):
            return
        elif marker := self.marker():
            self.toggle(self.markers[marker], len(marker))
        elif self.v2 and char in RESERVED:
            raise cant_parse(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        else:
            self.emit(char, 1)

    @property
    def markers(self) -> dict[str, str]:
        return V2_MARKERS if self.v2 else LEGACY_MARKERS

    def marker(self) -> str | None:
        for marker in self.markers:
            if self.source.startswith(marker, self.position):
                nested = self.open and self.open[-1].kind != self.markers[marker]
                return None if nested and not self.v2 else marker
        return None

    def toggle(self, kind: str, advance: int) -> None:
        self.position += advance
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index].kind == kind:
                self.add_entity(self.open.pop(index))
                return
        self.open.append(self.here(kind))
        self.open[-1].byte_offset -= advance

    def quote(self, char: str) -> bool:
        if char == ">":
            if self.quote_start is None:
                self.quote_start = self.length
            self.position += 1
            return True
        self.end_quote(self.length - 1)
        return False

    def end_quote(self, end: int) -> None:
        if self.quote_start is not None and end > self.quote_start:
            self.entities.append(
                {"type": "blockquote", "offset": self.quote_start, "length": end - self.quote_start}
            )
        self.quote_start = None

    def read_until(self, delimiter: str, start: int) -> tuple[str, int] | None:
        content: list[str] = []
        index = start
        while index < len(self.source):
            if self.v2 and self.source[index] == "\\" and index + 1 < len(self.source):
                content.append(self.source[index + 1])
                index += 2
            elif self.source.startswith(delimiter, index):
                return "".join(content), index
            else:
                content.append(self.source[index])
                index += 1
        return None

    def code(self) -> None:
        fence = "```" if self.source.startswith("```", self.position) else "`"
        opened = self.here("pre" if fence == "```" else "code")
        found = self.read_until(fence, self.position + len(fence))
        if found is None:
            raise self.unclosed(opened)
        content, end = found
        extra: dict[str, str] = {}
        first_line, newline, rest = content.partition("\n")
        if fence == "```" and newline and first_line and not any(c.isspace() for c in first_line):
            extra["language"], content = first_line, rest
        self.emit(content, end + len(fence) - self.position)
        self.add_entity(opened, **extra)

    def link(self, char: str, following: str) -> bool:
        if char == "[" and (self.v2 or not self.open):
            self.open.append(self.here("text_link"))
            self.position += 1
            return True
        if char == "!" and following == "[" and self.v2:
            self.open.append(self.here("custom_emoji"))
            self.position += 2
            return True
        if char != "]" or not self.open or self.open[-1].kind not in LINK_KINDS:
            return False
        opened = self.open.pop()
        self.position += 1
        if not self.source.startswith("(", self.position):
            return True
        found = self.read_until(")", self.position + 1)
        if found is None:
            raise self.unclosed(opened)
        url, end = found
        self.position = end + 1
        if opened.kind == "custom_emoji":
            self.add_entity(opened, custom_emoji_id=url.partition("id=")[2])
        else:
            self.add_entity(opened, url=url)
        return True


def parse_markdown(source: str, *, v2: bool) -> tuple[str, list[Json]]:
    """Parse MarkdownV2 (or legacy Markdown when `v2` is false) into plain text and entities."""
    return _MarkdownParser(source, v2).run()
