"""Validators shared by the apps: court case numbers (案号) and phone numbers.

Each validator raises ``ValidationError`` whose Chinese message says what is wrong, so a form
can show it next to the field unchanged. Normalisers never raise: they only tidy the input
(full-width → half-width, spaces removed) so that validation and storage see one form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

__all__ = [
    "CaseNumber",
    "half_width",
    "mask_phone",
    "normalize_phone",
    "parse_case_number",
    "parse_case_numbers",
    "validate_case_number",
    "validate_case_numbers",
    "validate_phone",
]

_WHITESPACE = re.compile(r"\s+")


def half_width(raw: str) -> str:
    """Full-width digits, letters and brackets to ASCII (NFKC), with every space removed."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", raw or ""))


# --- 案号 --------------------------------------------------------------------------------------

PROVINCE_ABBREVIATIONS = "京津沪渝冀晋蒙辽吉黑苏浙皖闽赣鲁豫鄂湘粤桂琼川贵云藏陕甘青宁新兵"
SUPREME_COURT_CODE = "最高法"
FIRST_CASE_YEAR = 1949
CASE_NUMBER_EXAMPLE = "（2021）豫03民初123号"

# Every accepted bracket is turned into ASCII "(" / ")" before matching; NFKC already maps
# （）［］ to ()[], 〔〕 are not compatibility characters so they are mapped here.
_BRACKETS = str.maketrans({"〔": "(", "〕": ")", "[": "(", "]": ")"})
_COURT = rf"{SUPREME_COURT_CODE}|[{PROVINCE_ABBREVIATIONS}](?:\d{{4}}|\d{{2}})"
_CJK = r"\u4e00-\u9fff"
_CASE_NUMBER = re.compile(rf"^\((\d{{4}})\)({_COURT})([{_CJK}]{{1,4}})(\d+)号$")
_COURT_PREFIX = re.compile(rf"^\(\d{{4}}\)(?:{_COURT})(?![\d])")
_CASE_SEPARATORS = re.compile(r"[\n\r,，、;；]+")


@dataclass(frozen=True)
class CaseNumber:
    """A parsed 案号; compare and de-duplicate by ``canonical``."""

    year: int
    court_code: str
    case_type: str
    sequence: int

    @property
    def canonical(self) -> str:
        """The case number as courts print it, with full-width brackets: （2021）豫03民初123号."""
        return f"（{self.year}）{self.court_code}{self.case_type}{self.sequence}号"

    def __str__(self) -> str:
        return self.canonical


def _normalize_case_number(raw: str) -> str:
    return half_width(raw).translate(_BRACKETS)


def _case_number_format_error(reason: str | None) -> ValidationError:
    if reason is None:
        return ValidationError(
            _("案号格式不正确：应形如%(example)s"),
            code="case_number_format",
            params={"example": CASE_NUMBER_EXAMPLE},
        )
    return ValidationError(
        _("案号格式不正确：%(reason)s；应形如%(example)s"),
        code="case_number_format",
        params={"reason": reason, "example": CASE_NUMBER_EXAMPLE},
    )


def _case_number_problem(text: str) -> str | None:
    """Why ``text`` (normalised) is not a case number, when the first wrong part can be told."""
    if not text.endswith("号"):
        return gettext("缺少结尾的“号”字")
    if re.match(r"^\d{4}", text):
        return gettext("年份应放在括号中，如（2021）")
    if not re.match(r"^\(\d{4}\)", text):
        if re.match(r"^\(\d*\)", text):
            return gettext("括号中的年份应为4位数字")
        return gettext("缺少括号括起的年份，如（2021）")
    if not re.search(r"\d号$", text):
        return gettext("缺少案件序号（“号”字前的数字）")
    if not _COURT_PREFIX.match(text):
        return gettext("法院代字不正确：应为省份简称加2位或4位数字（如 豫03、京0105），或“最高法”")
    if not _CASE_NUMBER.match(text):
        return gettext("案件类型代字不正确：应为1–4个汉字，如 民初、民终、执、执恢")
    return None


def parse_case_number(raw: str) -> CaseNumber:
    """Parse one 案号 written with any of （）()〔〕[] and full-width digits; spaces are ignored."""
    text = _normalize_case_number(raw)
    if not text:
        raise ValidationError(_("请填写案号"), code="case_number_required")
    match = _CASE_NUMBER.match(text)
    if match is None:
        raise _case_number_format_error(_case_number_problem(text))
    year, court_code, case_type, sequence = match.groups()
    last_year = timezone.localdate().year + 1
    if not FIRST_CASE_YEAR <= int(year) <= last_year:
        raise ValidationError(
            _("案号年份%(year)s不正确：应在%(first)d年至%(last)d年之间"),
            code="case_number_year",
            params={"year": year, "first": FIRST_CASE_YEAR, "last": last_year},
        )
    if int(sequence) == 0:
        raise _case_number_format_error(gettext("案件序号应从1开始"))
    return CaseNumber(year=int(year), court_code=court_code, case_type=case_type, sequence=int(sequence))


def parse_case_numbers(raw: str) -> list[CaseNumber]:
    """Parse a text field of case numbers separated by newlines, ，,、；; — first occurrence wins.

    Raises one ``ValidationError`` with one message per bad entry, each naming the entry.
    """
    parsed: dict[str, CaseNumber] = {}
    errors: list[ValidationError] = []
    for entry in _CASE_SEPARATORS.split(raw or ""):
        entry = entry.strip()
        if not half_width(entry):
            continue
        try:
            number = parse_case_number(entry)
        except ValidationError as error:
            errors.extend(
                ValidationError(
                    _("“%(entry)s”：%(error)s"),
                    code=error.code,
                    params={"entry": entry, "error": message},
                )
                for message in error.messages
            )
        else:
            parsed.setdefault(number.canonical, number)
    if errors:
        raise ValidationError(errors)
    return list(parsed.values())


def validate_case_number(value: str) -> None:
    """Field validator form of ``parse_case_number``."""
    parse_case_number(value)


def validate_case_numbers(value: str) -> None:
    """Field validator form of ``parse_case_numbers``."""
    parse_case_numbers(value)


# --- 电话号码 ------------------------------------------------------------------------------------

# Area codes: 010 and 02X have three digits, every other one (03XX–09XX) four, which is what
# lets 037963211234 be split without a separator.
_AREA_CODE = r"0(?:10|2\d|[3-9]\d{2})"
_MOBILE = re.compile(r"^(?:(?:\+|00)?86)?(1[3-9]\d{9})$")
_LANDLINE = re.compile(rf"^(?:\(({_AREA_CODE})\)|({_AREA_CODE})-?)([1-9]\d{{6,7}})(?:(?:-|转)(\d{{1,6}}))?$")


def _mobile_digits(text: str) -> str:
    """``text`` without the hyphens and brackets people put inside mobile numbers."""
    return re.sub(r"[-()]", "", text)


def normalize_phone(raw: str) -> str:
    """Canonical form: 13812345678, 0379-63211234 or 0379-63211234-123; never raises.

    Input that is not a phone number comes back half-width and without spaces, for
    ``validate_phone`` to report.
    """
    text = half_width(raw)
    mobile = _MOBILE.match(_mobile_digits(text))
    if mobile:
        return mobile.group(1)
    landline = _LANDLINE.match(text)
    if landline:
        area = landline.group(1) or landline.group(2)
        number = f"{area}-{landline.group(3)}"
        return f"{number}-{landline.group(4)}" if landline.group(4) else number
    return text


def validate_phone(value: str) -> None:
    """Accept a mainland mobile (optionally +86/86) or a landline with area code and extension."""
    text = half_width(value)
    if not text:
        raise ValidationError(_("请填写电话号码"), code="phone_required")
    if _MOBILE.match(_mobile_digits(text)) or _LANDLINE.match(text):
        return
    digits = _mobile_digits(text)
    if digits.isdigit() and digits.startswith("1"):
        if len(digits) != 11:
            raise ValidationError(
                _("手机号码应为11位数字，当前为%(length)d位"),
                code="phone_mobile_length",
                params={"length": len(digits)},
            )
        raise ValidationError(_("手机号码应以13–19开头"), code="phone_mobile_prefix")
    raise ValidationError(
        _(
            "电话号码格式不正确：手机号如 13812345678，座机号应带区号，如 0379-63211234"
            "（分机号可写作 0379-63211234-123 或 0379-63211234转123）"
        ),
        code="phone_format",
    )


def mask_phone(value: str) -> str:
    """For display to those who may not see it: 138****5678, 0379-****1234 (extension dropped).

    Anything that is not a phone number keeps only its last 4 characters; never raises.
    """
    phone = normalize_phone(value)
    if _MOBILE.match(phone):
        return f"{phone[:3]}****{phone[-4:]}"
    landline = _LANDLINE.match(phone)
    if landline:
        area = landline.group(1) or landline.group(2)
        return f"{area}-****{landline.group(3)[-4:]}"
    if not phone:
        return ""
    return "****" + phone[-4:] if len(phone) > 4 else "****"
