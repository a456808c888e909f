"""Validators for what users type about enterprises: the unified social credit code (统一社会信用代码).

The case-number and phone validators are shared by the apps and live in `liaison.validators`;
they are re-exported here for the cases code.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from liaison.validators import (  # noqa: F401 - re-exported for the cases app
    CaseNumber,
    half_width,
    mask_phone,
    normalize_phone,
    parse_case_number,
    parse_case_numbers,
    validate_case_number,
    validate_case_numbers,
    validate_phone,
)

__all__ = [
    "CREDIT_CODE_CHARSET",
    "CaseNumber",
    "CreditCodeValidator",
    "credit_code_check_char",
    "mask_phone",
    "normalize_credit_code",
    "normalize_phone",
    "parse_case_number",
    "parse_case_numbers",
    "validate_case_number",
    "validate_case_numbers",
    "validate_credit_code",
    "validate_phone",
]


# --- 统一社会信用代码 (GB 32100-2015) ------------------------------------------------------------

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
CREDIT_CODE_LENGTH = 18
_CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def normalize_credit_code(raw: str) -> str:
    """Strip spaces, turn full-width characters half-width and upper-case; never raises."""
    return half_width(raw).upper()


def credit_code_check_char(first17: str) -> str:
    """The 18th (check) character for the first 17 characters of a credit code.

    Raises ``ValueError`` (a programming error, not a user one) for input that is not 17
    characters of the charset; validate user input with ``validate_credit_code``.
    """
    if len(first17) != 17 or any(c not in CREDIT_CODE_CHARSET for c in first17):
        raise ValueError(f"need 17 characters of {CREDIT_CODE_CHARSET!r}, got {first17!r}")
    total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(first17, _CREDIT_CODE_WEIGHTS))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """Check an already-normalised credit code; the message names the first thing wrong.

    Lower-case letters and spaces are reported, not forgiven: pass the value through
    ``normalize_credit_code`` first (a form's ``clean_<field>``) so that what is stored is canonical.
    """
    value = value or ""
    if len(value) != CREDIT_CODE_LENGTH:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(length)d位"),
            code="credit_code_length",
            params={"length": len(value)},
        )
    for position, char in enumerate(value, start=1):
        if char not in CREDIT_CODE_CHARSET:
            raise ValidationError(
                _(
                    "统一社会信用代码第%(position)d位的字符“%(char)s”不合法："
                    "只能使用数字和大写英文字母，且不使用 I、O、Z、S、V"
                ),
                code="credit_code_char",
                params={"position": position, "char": char},
            )
    if not value[2:8].isdigit():
        raise ValidationError(
            _("统一社会信用代码第3–8位是行政区划码，应为6位数字，当前为“%(division)s”"),
            code="credit_code_division",
            params={"division": value[2:8]},
        )
    expected = credit_code_check_char(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _("校验码错误：第18位应为 %(expected)s，当前为 %(actual)s"),
            code="credit_code_check",
            params={"expected": expected, "actual": value[17]},
        )


@deconstructible
class CreditCodeValidator:
    """``validators=[CreditCodeValidator()]`` on a model or form field; survives migrations."""

    def __call__(self, value: str) -> None:
        validate_credit_code(value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CreditCodeValidator)

    def __hash__(self) -> int:
        return hash(CreditCodeValidator)


_MOBILE = re.compile(r"1[3-9]\d{9}")


def normalize_mobile(raw: str) -> str:
    """Half-width digits only, without spaces, dashes or a leading +86."""
    value = re.sub(r"[\s\-]", "", half_width(raw or ""))
    for prefix in ("+86", "0086"):
        if value.startswith(prefix):
            value = value[len(prefix) :]
    return value


def validate_mobile(value: str) -> None:
    """A mainland mobile number of 11 digits (one-time codes go to mobile numbers only)."""
    if not _MOBILE.fullmatch(value or ""):
        raise ValidationError(_("请填写11位手机号码，例如 13812345678。"), code="mobile")
