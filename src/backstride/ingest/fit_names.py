"""Human names for FIT enum numbers (manufacturer, product, file type).

The names come from the FIT profile that ships inside fitdecode (already a dependency),
read at run time rather than copied here.
"""

from __future__ import annotations

from functools import cache
from typing import Final

from fitdecode import profile as fit_profile

GARMIN: Final = 1
_GARMIN_FAMILY: Final = frozenset({1, 13, 15, 89})  # garmin, dynastream_oem, dynastream, tacx


@cache
def _enum(type_name: str) -> dict[int, str]:
    field_type = fit_profile.FIELD_TYPES.get(type_name)
    enum = getattr(field_type, "enum", None)
    return dict(enum) if enum else {}


def manufacturer_name(number: int) -> str:
    name = _enum("manufacturer").get(number)
    return name.replace("_", " ").title() if name else f"manufacturer {number}"


def product_name(manufacturer: int, product: int) -> str | None:
    if manufacturer in _GARMIN_FAMILY:
        return _enum("garmin_product").get(product)
    return None


def file_type_name(number: int) -> str:
    return _enum("file").get(number, f"type {number}").replace("_", " ")


def device_label(
    manufacturer: int | None, product: int | None, product_text: str | None
) -> str | None:
    """e.g. 'Garmin fr945', 'Coros PACE 2', 'Suunto (product 34)'; None if unknown."""
    if manufacturer is None:
        return product_text
    maker = manufacturer_name(manufacturer)
    if product_text:
        # Some makers repeat their name in the product text ("COROS PACE 2").
        if product_text.lower().startswith(maker.lower()):
            return product_text
        return f"{maker} {product_text}"
    if product is None:
        return maker
    model = product_name(manufacturer, product)
    return f"{maker} {model}" if model else f"{maker} (product {product})"
