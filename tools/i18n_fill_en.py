"""Give every untranslated entry of the English catalogue its msgid: the source text is English.

Run by `make i18n-update` after `pybabel update`; entries someone reworded by hand are kept.
"""

from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "tracker/translations/en/LC_MESSAGES/messages.po"


def main() -> None:
    """Fill the empty msgstr of en/messages.po with their msgid."""
    with PO.open("rb") as f:
        catalogue = read_po(f, locale="en")
    for message in catalogue:
        if message.id and not message.string:
            message.string = message.id
    with PO.open("wb") as f:
        write_po(f, catalogue, width=0, sort_output=True, include_previous=False)


if __name__ == "__main__":
    main()
