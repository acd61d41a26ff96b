"""Kazakhstan's regions, cities of republican significance and the capital, with their history.

An application names the region it was submitted for as it was called then, so the table
keeps names that no longer exist: South Kazakhstan region became Turkestan region on
19 June 2018, when Shymkent became a city of republican significance (Presidential Decree
No. 702 of 19.06.2018); Abai, Jetisu and Ulytau regions were formed on 8 June 2022
(Presidential Decree No. 887 of 03.05.2022); the capital was called Nur-Sultan from 23 March
2019 to 17 September 2022, and is the same ``astana`` entry here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from ..core.errors import InWords
from ..core.l10n import TextError

RegionId = Literal[
    "abai", "akmola", "aktobe", "almaty-region", "atyrau", "east-kazakhstan", "jetisu",
    "karaganda", "kostanay", "kyzylorda", "mangystau", "north-kazakhstan", "pavlodar",
    "south-kazakhstan", "turkestan", "ulytau", "west-kazakhstan", "zhambyl",
    "almaty-city", "astana", "shymkent",
]


@dataclass(frozen=True)
class Region:
    id: str
    kind: Literal["region", "city", "capital"]
    kk: str
    ru: str
    en: str
    exists_from: date | None = None
    exists_until: date | None = None

    def exists_on(self, day: date) -> bool:
        return (self.exists_from is None or day >= self.exists_from) and (
            self.exists_until is None or day < self.exists_until
        )


_2018 = date(2018, 6, 19)
_2022 = date(2022, 6, 8)

REGIONS: dict[str, Region] = {
    r.id: r
    for r in (
        Region("abai", "region", "Абай облысы", "Абайская область", "Abai region", _2022),
        Region("akmola", "region", "Ақмола облысы", "Акмолинская область", "Akmola region"),
        Region("aktobe", "region", "Ақтөбе облысы", "Актюбинская область", "Aktobe region"),
        Region("almaty-region", "region", "Алматы облысы", "Алматинская область", "Almaty region"),
        Region("atyrau", "region", "Атырау облысы", "Атырауская область", "Atyrau region"),
        Region("east-kazakhstan", "region", "Шығыс Қазақстан облысы", "Восточно-Казахстанская область", "East Kazakhstan region"),
        Region("jetisu", "region", "Жетісу облысы", "Область Жетісу", "Jetisu region", _2022),
        Region("karaganda", "region", "Қарағанды облысы", "Карагандинская область", "Karaganda region"),
        Region("kostanay", "region", "Қостанай облысы", "Костанайская область", "Kostanay region"),
        Region("kyzylorda", "region", "Қызылорда облысы", "Кызылординская область", "Kyzylorda region"),
        Region("mangystau", "region", "Маңғыстау облысы", "Мангистауская область", "Mangystau region"),
        Region("north-kazakhstan", "region", "Солтүстік Қазақстан облысы", "Северо-Казахстанская область", "North Kazakhstan region"),
        Region("pavlodar", "region", "Павлодар облысы", "Павлодарская область", "Pavlodar region"),
        Region("south-kazakhstan", "region", "Оңтүстік Қазақстан облысы", "Южно-Казахстанская область", "South Kazakhstan region", None, _2018),
        Region("turkestan", "region", "Түркістан облысы", "Туркестанская область", "Turkestan region", _2018),
        Region("ulytau", "region", "Ұлытау облысы", "Область Ұлытау", "Ulytau region", _2022),
        Region("west-kazakhstan", "region", "Батыс Қазақстан облысы", "Западно-Казахстанская область", "West Kazakhstan region"),
        Region("zhambyl", "region", "Жамбыл облысы", "Жамбылская область", "Zhambyl region"),
        Region("almaty-city", "city", "Алматы қаласы", "город Алматы", "Almaty city"),
        Region("astana", "capital", "Астана қаласы", "город Астана", "Astana (capital; Nur-Sultan 2019-2022)"),
        Region("shymkent", "city", "Шымкент қаласы", "город Шымкент", "Shymkent city", _2018),
    )
}


def region_problem(region_id: str, day: date) -> TextError | None:
    """Why ``region_id`` cannot be named on ``day`` (it was formed later, or had been renamed or
    merged away before), or ``None`` if it existed then (docs/choices.md, "Regions by date")."""
    region = REGIONS.get(region_id)
    if region is None or region.exists_on(day):
        return None
    if region.exists_from is not None and day < region.exists_from:
        return TextError("input_error.region_not_yet", region=region_id, name=InWords(kk=region.kk, ru=region.ru, en=region.en), day=day.isoformat(), since=region.exists_from.isoformat())
    assert region.exists_until is not None
    last = date.fromordinal(region.exists_until.toordinal() - 1)
    return TextError("input_error.region_gone", region=region_id, name=InWords(kk=region.kk, ru=region.ru, en=region.en), day=day.isoformat(), until=last.isoformat())

