"""Fill in an admin form as its page shows it, so that a test changes one field and posts
everything else as it stood, the way a person using the page would."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    """What a browser would submit from the page's forms: text inputs, ticked boxes, chosen
    options and text areas (submit buttons and files left out)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self._add(name, attrs.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # The browser drops the one newline that follows the opening tag.
            text = "".join(self._text)
            self._add(self._textarea, text[1:] if text.startswith("\n") else text)
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def form_data(response) -> dict[str, list[str]]:
    """Every field of the page's forms, as posted: {name: [values]} (the test client sends a
    list as repeated fields). The CSRF token is included but unused by the test client."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    return reader.data


def changed(response, **changes) -> dict[str, list[str]]:
    """The form as it stands with some fields changed; a value of None leaves the field out
    (an unticked box)."""
    data = form_data(response)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return data
