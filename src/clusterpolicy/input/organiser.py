"""The organiser of a competition, as the letterhead and the signature of its documents show it.

Generic (no act's form): a name in Kazakh, Russian and English, an address, who signs, and the
index of its outgoing letters. Every field but the name may be left out; a competition without
an organiser prints its documents with blanks, as before.
"""

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, SerializationInfo, SerializerFunctionWrapHandler, model_serializer, model_validator

from ..core.l10n import TextError
from .values import Model, Str


class LocalText(Model):
    """A text of the competition in Kazakh, Russian and English; one plain text is the same in every
    language. A document in a language the text lacks shows the Russian, else the Kazakh, else the
    English text."""

    kk: Str | None = Field(None, min_length=1)
    ru: Str | None = Field(None, min_length=1)
    en: Str | None = Field(None, min_length=1)

    @model_validator(mode="after")
    def _some_text(self) -> "LocalText":
        if not (self.kk or self.ru or self.en):
            raise TextError("input_error.text_in_one_language")
        return self

    def get(self, lang: str) -> str:
        return getattr(self, lang, None) or self.ru or self.kk or self.en or ""

    @model_serializer(mode="wrap")
    def _in_language(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
        """In a result document (dumped with ``context={"lang": ...}``): the string in that language;
        as an observed value (``context={"first_text": True}``): the first given of ru, kk, en, as a
        check reads it."""
        context = info.context
        lang = context.get("lang") if isinstance(context, dict) else None
        if lang in ("kk", "ru", "en"):
            return self.get(lang)
        if isinstance(context, dict) and context.get("first_text"):
            return self.get("ru")
        return handler(self)


def _local_text(value: Any) -> Any:
    return {"kk": value, "ru": value, "en": value} if isinstance(value, str) else value


Localised = Annotated[LocalText, BeforeValidator(_local_text)]


class OrganiserSignatory(Model):
    """Who signs the organiser's documents: position (per language) and full name."""

    position: Localised | None = Field(None, description="E.g. kk «Вице-министр», ru «Вице-министр»; a text is the same in every language.")
    full_name: Localised | None = Field(
        None, description="Initials and surname as signed (А.Б. Фамилия), per language where they differ; a text is the same in every language."
    )


class Organiser(Model):
    """The organiser of the competition, as its documents' letterhead and signature show it."""

    name: Localised = Field(description="Full official name in kk, ru (and en); a text is the same in every language.")
    address: Localised | None = Field(None, description="Postal address printed under the name.")
    signatory: OrganiserSignatory | None = Field(None, description="Who signs the notices and protocols.")
    outgoing_prefix: Str | None = Field(
        None, description="Index of the organiser's outgoing letters (e.g. «07-2/»); a notice prints it before the blank for the registry number."
    )


__all__ = ["LocalText", "Organiser", "OrganiserSignatory"]
