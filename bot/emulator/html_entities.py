"""Telegram's HTML parse mode: plain text and entities, or Telegram's parse errors."""

import re
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.errors import ApiError, bad_request

Json = dict[str, Any]
TAG_ENTITIES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic",
    "u": "underline", "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
    "del": "strikethrough", "tg-spoiler": "spoiler", "span": "spoiler", "a": "text_link",
    "code": "code", "pre": "pre", "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}  # fmt: skip
CHARACTER_REFERENCE = re.compile(r"&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|lt|gt|amp|quot);")
NAMED_REFERENCES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
ATTRIBUTE = re.compile(r"""([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+)))?""")


def utf16_len(text: str) -> int:
    """Return the length of `text` in UTF-16 code units, the unit of entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def cant_parse(detail: str) -> ApiError:
    """Return the 400 error Telegram gives for malformed formatted text."""
    return bad_request(f"can't parse entities: {detail}")


@dataclass
class _OpenTag:
    name: str
    offset: int
    attributes: dict[str, str]
    extra: Json = field(default_factory=dict)


@dataclass
class _HtmlParser:
    source: str
    plain: list[str] = field(default_factory=list)
    length: int = 0
    open_tags: list[_OpenTag] = field(default_factory=list)
    entities: list[Json] = field(default_factory=list)

    def run(self) -> tuple[str, list[Json]]:
        position = 0
        while position < len(self.source):
            position = self.step(position)
        if self.open_tags:
            name = self.open_tags[-1].name
            raise cant_parse(f'Can\'t find end tag corresponding to start tag "{name}"')
        self.entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
        return "".join(self.plain), self.entities

    def emit(self, text: str) -> None:
        self.plain.append(text)
        self.length += utf16_len(text)

    def step(self, position: int) -> int:
        char = self.source[position]
        if char == "&" and (reference := CHARACTER_REFERENCE.match(self.source, position)):
            self.emit(_decode_reference(reference.group(1)))
            return reference.end()
        if char != "<":
            self.emit(char)
            return position + 1
        byte_offset = len(self.source[:position].encode())
        closing = self.source.startswith("</", position)
        name_start = position + (2 if closing else 1)
        name = re.match(r"[^\s>]*", self.source[name_start:])
        tag = name.group(0).lower() if name else ""
        end = self.source.find(">", name_start)
        if closing:
            if end < 0:
                raise cant_parse(f"Unclosed end tag at byte offset {byte_offset}")
            self.close(tag, byte_offset)
            return end + 1
        if tag not in TAG_ENTITIES:
            raise cant_parse(f'Unsupported start tag "{tag}" at byte offset {byte_offset}')
        if end < 0:
            raise cant_parse(f"Unclosed start tag at byte offset {byte_offset}")
        attributes_text = self.source[name_start + len(tag) : end].rstrip("/")
        attributes = {
            match.group(1).lower(): match.group(2) or match.group(3) or match.group(4) or ""
            for match in ATTRIBUTE.finditer(attributes_text)
        }
        if tag == "span" and attributes.get("class") != "tg-spoiler":
            raise cant_parse('Tag "span" must have class "tg-spoiler"')
        self.open_tags.append(_OpenTag(tag, self.length, attributes))
        return end + 1

    def close(self, tag: str, byte_offset: int) -> None:
        if not self.open_tags:
            raise cant_parse(f"Unexpected end tag at byte offset {byte_offset}")
        opened = self.open_tags.pop()
        if opened.name != tag:
            raise cant_parse(
                f"Unmatched end tag at byte offset {byte_offset}, "
                f'expected "</{opened.name}>", found "</{tag}>"'
            )
        language = opened.attributes.get("class", "").removeprefix("language-")
        parent = self.open_tags[-1] if self.open_tags else None
        if tag == "code" and parent and parent.name == "pre" and language:
            parent.extra["language"] = language
            return
        entity = _entity_for(opened, self.length - opened.offset)
        if entity:
            self.entities.append(entity)


def _entity_for(opened: _OpenTag, length: int) -> Json | None:
    kind = TAG_ENTITIES[opened.name]
    attributes = opened.attributes
    entity: Json = {"type": kind, "offset": opened.offset, "length": length, **opened.extra}
    if kind == "text_link":
        if not attributes.get("href"):
            return None
        entity["url"] = attributes["href"]
    elif kind == "blockquote" and "expandable" in attributes:
        entity["type"] = "expandable_blockquote"
    elif kind == "custom_emoji":
        if not attributes.get("emoji-id"):
            raise cant_parse('Tag "tg-emoji" must have attribute "emoji-id"')
        entity["custom_emoji_id"] = attributes["emoji-id"]
    return entity if length > 0 else None


def _decode_reference(name: str) -> str:
    if name.startswith("#x"):
        return chr(int(name[2:], 16))
    if name.startswith("#"):
        return chr(int(name[1:]))
    return NAMED_REFERENCES[name]


def parse_html(source: str) -> tuple[str, list[Json]]:
    """Parse Telegram's HTML subset into plain text and entities."""
    return _HtmlParser(source).run()
