"""A tiny, safe parser for the YAML subset that Quarto front matter uses.

It understands ``key: value`` pairs, nested mappings by indentation, ``- item`` lists
(of scalars or mappings), quoted strings, ``[a, b]`` flow lists and ``|`` / ``>``
block scalars; everything stays a string, so no tag can construct an object. This
avoids a PyYAML dependency for a dozen lines of metadata.
"""

from __future__ import annotations

import re

__all__ = ["FrontMatterError", "parse_front_matter"]

Value = str | list["Value"] | dict[str, "Value"]

_KEY = re.compile(r"^(?P<key>[A-Za-z0-9_][\w.-]*)\s*:(?:\s+(?P<value>.*))?$")


class FrontMatterError(ValueError):
    """A front-matter line is outside the supported subset; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        super().__init__(message)


def _scalar(text: str) -> Value:
    """Unquote a scalar, or split a ``[a, b]`` flow list."""
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1].strip()
        return [_scalar(part) for part in inner.split(",")] if inner else []
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        body = text[1:-1]
        if text[0] == "'":
            return body.replace("''", "'")
        return body.replace('\\"', '"').replace("\\\\", "\\")
    return re.sub(r"\s+#.*$", "", text)


class _Parser:
    def __init__(self, text: str, first_line: int) -> None:
        self.lines = text.splitlines()
        self.first = first_line
        self.pos = 0

    def _skip_blank(self) -> None:
        while self.pos < len(self.lines):
            stripped = self.lines[self.pos].strip()
            if stripped and not stripped.startswith("#"):
                return
            self.pos += 1

    def _indent(self) -> int:
        line = self.lines[self.pos]
        return len(line) - len(line.lstrip(" "))

    def _error(self, message: str) -> FrontMatterError:
        return FrontMatterError(self.first + self.pos, message)

    def block(self, indent: int) -> Value:
        """Parse the mapping or list that starts at the current line."""
        self._skip_blank()
        if self.pos >= len(self.lines):
            return ""
        if self.lines[self.pos].strip().startswith("- "):
            return self._list(self._indent())
        return self._mapping(indent)

    def _block_scalar(self, folded: bool, parent: int) -> str:
        parts: list[str] = []
        while self.pos < len(self.lines):
            line = self.lines[self.pos]
            if line.strip() and len(line) - len(line.lstrip(" ")) <= parent:
                break
            parts.append(line.strip())
            self.pos += 1
        while parts and not parts[-1]:
            parts.pop()
        if not folded:
            return "\n".join(parts)
        return "\n\n".join(" ".join(p.split("\n")) for p in "\n".join(parts).split("\n\n"))

    def _value(self, rest: str | None, indent: int) -> Value:
        if rest is None or not rest.strip() or rest.strip().startswith("#"):
            self._skip_blank()
            if self.pos < len(self.lines) and (
                self._indent() > indent
                or (self._indent() == indent and self.lines[self.pos].lstrip().startswith("- "))
            ):
                return self.block(self._indent())
            return ""
        if rest.strip()[:1] in ("|", ">"):
            return self._block_scalar(rest.strip().startswith(">"), indent)
        return _scalar(rest)

    def _mapping(self, indent: int) -> dict[str, Value]:
        result: dict[str, Value] = {}
        while True:
            self._skip_blank()
            if self.pos >= len(self.lines) or self._indent() < indent:
                return result
            if self._indent() > indent:
                raise self._error("unexpected indentation")
            match = _KEY.match(self.lines[self.pos].strip())
            if not match:
                raise self._error(f"expected 'key: value', got {self.lines[self.pos].strip()!r}")
            self.pos += 1
            result[match["key"]] = self._value(match["value"], indent)

    def _list(self, indent: int) -> list[Value]:
        items: list[Value] = []
        while True:
            self._skip_blank()
            if self.pos >= len(self.lines) or self._indent() != indent:
                return items
            stripped = self.lines[self.pos].strip()
            if not stripped.startswith("- "):
                return items
            rest = stripped[2:].strip()
            match = _KEY.match(rest)
            if match and not rest.startswith(("'", '"')):
                # "- name: X" opens a mapping whose keys sit two columns further in
                self.lines[self.pos] = " " * (indent + 2) + rest
                items.append(self._mapping(indent + 2))
            else:
                self.pos += 1
                items.append(_scalar(rest))


def parse_front_matter(text: str, first_line: int = 2) -> dict[str, Value]:
    """Parse front matter ``text``; ``first_line`` numbers errors in the source file."""
    value = _Parser(text, first_line).block(0)
    if not isinstance(value, dict):
        raise FrontMatterError(first_line, "front matter must be a mapping of keys to values")
    return value
