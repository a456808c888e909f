"""Credit codes, case numbers and phone numbers: what is accepted and what the user is told."""

from __future__ import annotations

import datetime as dt
from dataclasses import FrozenInstanceError

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from cases.validators import (
    CREDIT_CODE_CHARSET,
    CaseNumber,
    CreditCodeValidator,
    credit_code_check_char,
    mask_phone,
    normalize_credit_code,
    normalize_phone,
    parse_case_number,
    parse_case_numbers,
    validate_case_number,
    validate_case_numbers,
    validate_credit_code,
    validate_phone,
)

# Frozen inside 2026, so the last accepted case-number year is 2027.
FROZEN = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _chinese():
    """Messages are asserted in Chinese, whatever another test left active."""
    with translation.override("zh-hans"):
        yield


def messages_of(raises: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return raises.value.messages


# --- 统一社会信用代码 ------------------------------------------------------------------------------

# Public codes; each one passes the GB 32100-2015 checksum (recomputed in the test below).
VALID_CREDIT_CODES = [
    "91350100M000100Y43",  # letters in the organisation code and check character 3
    "914403001922038216",
    "91440300708461136T",
    "91330100799655058B",
    "91110000802100433B",
    "91110108551385082Q",
    "91110000710926094P",
    "91110000100017643K",
    "91310000132200821H",
    "12100000400000624D",  # registration authority 1 (机构编制)
    "51100000500010993L",  # registration authority 5 (民政)
]


@pytest.mark.parametrize("code", VALID_CREDIT_CODES)
def test_it_accepts_valid_credit_codes(code):
    assert credit_code_check_char(code[:17]) == code[17]
    validate_credit_code(code)
    CreditCodeValidator()(code)


def test_it_computes_the_check_character_by_hand():
    # M = 21, Y = 30; the weighted sum is 1640, 1640 mod 31 = 28, 31 - 28 = 3 → charset[3] = "3".
    first17 = "91350100M000100Y4"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(first17, weights))
    assert total == 1640
    expected = CREDIT_CODE_CHARSET[(31 - total % 31) % 31]
    assert credit_code_check_char(first17) == expected == "3"


def test_it_maps_a_check_value_of_31_to_zero():
    # A body whose weighted sum is a multiple of 31 gives 31 - 0 = 31, written as "0".
    assert credit_code_check_char("0" * 17) == "0"


@pytest.mark.parametrize("first17", ["", "9135010", "91350100M000100Y4X", "91350100M000100I4", "91350100m000100y4"])
def test_the_check_character_helper_refuses_bad_input(first17):
    with pytest.raises(ValueError):
        credit_code_check_char(first17)


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("91350100M000100Y43", "91350100M000100Y43"),
        ("91350100m000100y43", "91350100M000100Y43"),
        (" 9135 0100 M000 100Y 43 ", "91350100M000100Y43"),
        ("９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43"),  # full-width
        ("91350100M000100Y43\u3000", "91350100M000100Y43"),  # ideographic space
        ("\t91350100M000100Y43\n", "91350100M000100Y43"),
        ("", ""),
    ],
)
def test_it_normalizes_credit_codes(raw, normalized):
    assert normalize_credit_code(raw) == normalized
    if normalized:
        validate_credit_code(normalize_credit_code(raw))


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "统一社会信用代码应为18位，当前为0位"),
        ("91350100M000100Y4", "统一社会信用代码应为18位，当前为17位"),
        ("91350100M000100Y433", "统一社会信用代码应为18位，当前为19位"),
        ("9135010", "统一社会信用代码应为18位，当前为7位"),
        # Illegal characters: the position and the character are named, and I/O/Z/S/V explained.
        (
            "91350100M000100I43",
            "统一社会信用代码第16位的字符“I”不合法：只能使用数字和大写英文字母，且不使用 I、O、Z、S、V",
        ),
        (
            "91350100O000100Y43",
            "统一社会信用代码第9位的字符“O”不合法：只能使用数字和大写英文字母，且不使用 I、O、Z、S、V",
        ),
        (
            "Z1350100M000100Y43",
            "统一社会信用代码第1位的字符“Z”不合法：只能使用数字和大写英文字母，且不使用 I、O、Z、S、V",
        ),
        (
            "91350100M000100S43",
            "统一社会信用代码第16位的字符“S”不合法：只能使用数字和大写英文字母，且不使用 I、O、Z、S、V",
        ),
        (
            "91350100M000100Y4V",
            "统一社会信用代码第18位的字符“V”不合法：只能使用数字和大写英文字母，且不使用 I、O、Z、S、V",
        ),
        (
            "91350100m000100Y43",
            "统一社会信用代码第9位的字符“m”不合法：只能使用数字和大写英文字母，且不使用 I、O、Z、S、V",
        ),
        (
            "9135-0100M000100Y4",
            "统一社会信用代码第5位的字符“-”不合法：只能使用数字和大写英文字母，且不使用 I、O、Z、S、V",
        ),
        (
            "91350100M000100Y4 ",
            "统一社会信用代码第18位的字符“ ”不合法：只能使用数字和大写英文字母，且不使用 I、O、Z、S、V",
        ),
        # Positions 3–8 (administrative division) must be digits.
        ("91A50100M000100Y43", "统一社会信用代码第3–8位是行政区划码，应为6位数字，当前为“A50100”"),
        ("913501M0M000100Y43", "统一社会信用代码第3–8位是行政区划码，应为6位数字，当前为“3501M0”"),
        # Wrong check character: the expected one is named.
        ("911100001000016320", "校验码错误：第18位应为 C，当前为 0"),
        ("91350100M000100Y44", "校验码错误：第18位应为 3，当前为 4"),
        ("914403001922038217", "校验码错误：第18位应为 6，当前为 7"),
        ("91440300708461136U", "校验码错误：第18位应为 T，当前为 U"),
    ],
)
def test_it_says_what_is_wrong_with_a_credit_code(code, message):
    with pytest.raises(ValidationError) as raised:
        validate_credit_code(code)
    assert messages_of(raised) == [message]
    with pytest.raises(ValidationError):
        CreditCodeValidator()(code)


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("9135", "credit_code_length"),
        ("91350100M000100I43", "credit_code_char"),
        ("91A50100M000100Y43", "credit_code_division"),
        ("91350100M000100Y44", "credit_code_check"),
    ],
)
def test_credit_code_errors_carry_a_code(code, error_code):
    with pytest.raises(ValidationError) as raised:
        validate_credit_code(code)
    assert raised.value.code == error_code


def test_the_credit_code_validator_works_on_a_model_field_and_in_migrations():
    field = models.CharField(max_length=18, validators=[CreditCodeValidator()])
    field.run_validators("91350100M000100Y43")
    with pytest.raises(ValidationError) as raised:
        field.run_validators("91350100M000100Y44")
    assert raised.value.messages == ["校验码错误：第18位应为 3，当前为 4"]
    path, args, kwargs = CreditCodeValidator().deconstruct()
    assert (path, args, kwargs) == ("cases.validators.CreditCodeValidator", (), {})
    assert CreditCodeValidator() == CreditCodeValidator()


# --- 案号 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("（2021）豫03民初123号", CaseNumber(2021, "豫03", "民初", 123)),
        ("(2023)京0105民初4567号", CaseNumber(2023, "京0105", "民初", 4567)),
        ("（2020）最高法民终12号", CaseNumber(2020, "最高法", "民终", 12)),
        ("（2022）粤0106执1234号", CaseNumber(2022, "粤0106", "执", 1234)),
        ("（2021）豫03执恢56号", CaseNumber(2021, "豫03", "执恢", 56)),
        ("（2019）沪01民特88号", CaseNumber(2019, "沪01", "民特", 88)),
        ("（2024）津0101刑初9号", CaseNumber(2024, "津0101", "刑初", 9)),
        ("〔2021〕豫03民终7号", CaseNumber(2021, "豫03", "民终", 7)),
        ("[2021]豫03民再7号", CaseNumber(2021, "豫03", "民再", 7)),
        ("［2021］豫03民申7号", CaseNumber(2021, "豫03", "民申", 7)),
        ("(2021）豫03执异7号", CaseNumber(2021, "豫03", "执异", 7)),  # mixed brackets
        ("（２０２１）豫０３民初１２３号", CaseNumber(2021, "豫03", "民初", 123)),  # full-width digits
        (" （2021） 豫03 民初 123号 ", CaseNumber(2021, "豫03", "民初", 123)),
        ("（2021）豫03民初0123号", CaseNumber(2021, "豫03", "民初", 123)),
        ("（2021）豫0302执复3号", CaseNumber(2021, "豫0302", "执复", 3)),
        ("（2021）豫03行初3号", CaseNumber(2021, "豫03", "行初", 3)),
        ("（2021）豫03行终3号", CaseNumber(2021, "豫03", "行终", 3)),
        ("（2021）豫03刑终3号", CaseNumber(2021, "豫03", "刑终", 3)),
        ("（2021）豫03破3号", CaseNumber(2021, "豫03", "破", 3)),
        ("（2021）豫0302财保3号", CaseNumber(2021, "豫0302", "财保", 3)),
        ("（2021）豫0302诉前调3号", CaseNumber(2021, "豫0302", "诉前调", 3)),
        ("（2021）豫03民辖3号", CaseNumber(2021, "豫03", "民辖", 3)),
        ("（2021）最高法知民终3号", CaseNumber(2021, "最高法", "知民终", 3)),
        ("（2021）兵08民初3号", CaseNumber(2021, "兵08", "民初", 3)),
        ("（2021）新4002民初3号", CaseNumber(2021, "新4002", "民初", 3)),
        ("（1949）京01民初1号", CaseNumber(1949, "京01", "民初", 1)),
        ("（2027）京01民初1号", CaseNumber(2027, "京01", "民初", 1)),  # next year: filed on 31 Dec
    ],
)
@time_machine.travel(FROZEN, tick=False)
def test_it_parses_case_numbers(raw, expected):
    assert parse_case_number(raw) == expected
    validate_case_number(raw)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("(2023)京0105民初4567号", "（2023）京0105民初4567号"),
        ("〔2021〕豫03民终7号", "（2021）豫03民终7号"),
        ("（２０２１）豫０３民初０１２３号", "（2021）豫03民初123号"),
    ],
)
def test_the_canonical_form_has_full_width_brackets(raw, canonical):
    number = parse_case_number(raw)
    assert number.canonical == canonical == str(number)


def test_a_case_number_is_frozen_and_hashable():
    number = CaseNumber(2021, "豫03", "民初", 123)
    with pytest.raises(FrozenInstanceError):
        number.year = 2022  # type: ignore[misc]
    assert len({number, CaseNumber(2021, "豫03", "民初", 123)}) == 1


FORMAT = "应形如（2021）豫03民初123号"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "请填写案号"),
        ("   ", "请填写案号"),
        ("（2021）豫03民初123", f"案号格式不正确：缺少结尾的“号”字；{FORMAT}"),
        ("2021豫03民初123号", f"案号格式不正确：年份应放在括号中，如（2021）；{FORMAT}"),
        ("豫03民初123号", f"案号格式不正确：缺少括号括起的年份，如（2021）；{FORMAT}"),
        ("（21）豫03民初123号", f"案号格式不正确：括号中的年份应为4位数字；{FORMAT}"),
        ("（2021豫03民初123号", f"案号格式不正确：缺少括号括起的年份，如（2021）；{FORMAT}"),
        ("（2021）豫03民初号", f"案号格式不正确：缺少案件序号（“号”字前的数字）；{FORMAT}"),
        ("（2021）豫03号", f"案号格式不正确：案件类型代字不正确：应为1–4个汉字，如 民初、民终、执、执恢；{FORMAT}"),
        (
            "（2021）X03民初1号",
            f"案号格式不正确：法院代字不正确：应为省份简称加2位或4位数字（如 豫03、京0105），或“最高法”；{FORMAT}",
        ),
        (
            "（2021）豫3民初1号",
            f"案号格式不正确：法院代字不正确：应为省份简称加2位或4位数字（如 豫03、京0105），或“最高法”；{FORMAT}",
        ),
        (
            "（2021）豫003民初1号",
            f"案号格式不正确：法院代字不正确：应为省份简称加2位或4位数字（如 豫03、京0105），或“最高法”；{FORMAT}",
        ),
        (
            "（2021）最高民终1号",
            f"案号格式不正确：法院代字不正确：应为省份简称加2位或4位数字（如 豫03、京0105），或“最高法”；{FORMAT}",
        ),
        ("（2021）豫031", f"案号格式不正确：缺少结尾的“号”字；{FORMAT}"),
        ("（2021）豫0312号", f"案号格式不正确：案件类型代字不正确：应为1–4个汉字，如 民初、民终、执、执恢；{FORMAT}"),
        (
            "（2021）豫03民事初审一审1号",
            f"案号格式不正确：案件类型代字不正确：应为1–4个汉字，如 民初、民终、执、执恢；{FORMAT}",
        ),
        ("（2021）豫03ab1号", f"案号格式不正确：案件类型代字不正确：应为1–4个汉字，如 民初、民终、执、执恢；{FORMAT}"),
        ("（2021）豫03民初0号", f"案号格式不正确：案件序号应从1开始；{FORMAT}"),
        ("（1948）京01民初1号", "案号年份1948不正确：应在1949年至2027年之间"),
        ("（2028）京01民初1号", "案号年份2028不正确：应在1949年至2027年之间"),
        ("（0000）京01民初1号", "案号年份0000不正确：应在1949年至2027年之间"),
    ],
)
@time_machine.travel(FROZEN, tick=False)
def test_it_says_what_is_wrong_with_a_case_number(raw, message):
    with pytest.raises(ValidationError) as raised:
        parse_case_number(raw)
    assert messages_of(raised) == [message]
    with pytest.raises(ValidationError):
        validate_case_number(raw)


def test_an_unexplained_case_number_gets_the_general_message(monkeypatch):
    # Every failure found so far has a reason; the reason-less form stays correct for the rest.
    monkeypatch.setattr("liaison.validators._case_number_problem", lambda text: None)
    with pytest.raises(ValidationError) as raised:
        parse_case_number("???号")
    assert messages_of(raised) == ["案号格式不正确：应形如（2021）豫03民初123号"]
    assert raised.value.code == "case_number_format"


def test_the_year_limit_follows_the_clock():
    with time_machine.travel(dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC), tick=False):
        assert parse_case_number("（2031）京01民初1号").year == 2031
        with pytest.raises(ValidationError):
            parse_case_number("（2032）京01民初1号")


@pytest.mark.parametrize(
    ("raw", "canonicals"),
    [
        ("", []),
        ("\n  \n", []),
        ("（2021）豫03民初123号", ["（2021）豫03民初123号"]),
        (
            "（2021）豫03民初123号\n(2023)京0105民初4567号\r\n（2020）最高法民终12号",
            ["（2021）豫03民初123号", "（2023）京0105民初4567号", "（2020）最高法民终12号"],
        ),
        (
            "（2021）豫03民初1号，（2021）豫03民初2号,（2021）豫03民初3号",
            ["（2021）豫03民初1号", "（2021）豫03民初2号", "（2021）豫03民初3号"],
        ),
        ("（2021）豫03民初1号、（2021）豫03民初2号", ["（2021）豫03民初1号", "（2021）豫03民初2号"]),
        (
            "（2021）豫03民初1号；（2021）豫03民初2号;（2021）豫03民初3号",
            ["（2021）豫03民初1号", "（2021）豫03民初2号", "（2021）豫03民初3号"],
        ),
        # Duplicates by canonical form: the first occurrence is kept, in input order.
        (
            "（2021）豫03民初2号\n(2021)豫03民初2号\n（2021）豫03民初1号\n〔２０２１〕豫03民初02号",
            ["（2021）豫03民初2号", "（2021）豫03民初1号"],
        ),
        ("，，（2021）豫03民初1号；；\n\n、\u3000", ["（2021）豫03民初1号"]),
    ],
)
@time_machine.travel(FROZEN, tick=False)
def test_it_parses_a_list_of_case_numbers(raw, canonicals):
    assert [n.canonical for n in parse_case_numbers(raw)] == canonicals
    validate_case_numbers(raw)


@time_machine.travel(FROZEN, tick=False)
def test_it_lists_every_bad_entry_with_its_message():
    raw = "（2021）豫03民初1号\n（2021）豫03民初123\n2021豫03民初5号；（1900）京01民初1号、（2021）豫03民初1号"
    with pytest.raises(ValidationError) as raised:
        parse_case_numbers(raw)
    assert messages_of(raised) == [
        f"“（2021）豫03民初123”：案号格式不正确：缺少结尾的“号”字；{FORMAT}",
        f"“2021豫03民初5号”：案号格式不正确：年份应放在括号中，如（2021）；{FORMAT}",
        "“（1900）京01民初1号”：案号年份1900不正确：应在1949年至2027年之间",
    ]
    assert [e.code for e in raised.value.error_list] == ["case_number_format", "case_number_format", "case_number_year"]
    with pytest.raises(ValidationError):
        validate_case_numbers(raw)


# --- 电话号码 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("13812345678", "13812345678"),
        ("19912345678", "19912345678"),
        ("+8613812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("008613812345678", "13812345678"),
        ("+86-138-1234-5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("0379-63211234", "0379-63211234"),
        ("020-12345678", "020-12345678"),
        ("010-1234567", "010-1234567"),
        ("(0379)63211234", "0379-63211234"),
        ("（0379）63211234", "0379-63211234"),
        ("037963211234", "0379-63211234"),
        ("02012345678", "020-12345678"),
        ("0379 6321 1234", "0379-63211234"),
        ("0379-63211234-123", "0379-63211234-123"),
        ("0379-63211234转123", "0379-63211234-123"),
        ("(0379)63211234转8", "0379-63211234-8"),
        ("037963211234-123456", "0379-63211234-123456"),
    ],
)
def test_it_accepts_and_normalizes_phone_numbers(raw, normalized):
    validate_phone(raw)
    assert normalize_phone(raw) == normalized
    assert normalize_phone(normalized) == normalized  # idempotent
    validate_phone(normalized)


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [("abc", "abc"), (" 12 3 ", "123"), ("", ""), ("１２３", "123")],
)
def test_normalizing_a_non_phone_only_tidies_it(raw, cleaned):
    assert normalize_phone(raw) == cleaned


GENERAL_PHONE_MESSAGE = (
    "电话号码格式不正确：手机号如 13812345678，座机号应带区号，如 0379-63211234"
    "（分机号可写作 0379-63211234-123 或 0379-63211234转123）"
)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "请填写电话号码"),
        ("  ", "请填写电话号码"),
        ("1381234567", "手机号码应为11位数字，当前为10位"),
        ("138123456789", "手机号码应为11位数字，当前为12位"),
        ("138-1234-567", "手机号码应为11位数字，当前为10位"),
        ("12812345678", "手机号码应以13–19开头"),
        ("10012345678", "手机号码应以13–19开头"),
        ("63211234", GENERAL_PHONE_MESSAGE),  # landline without area code
        ("0379-632112", GENERAL_PHONE_MESSAGE),  # local number too short
        ("0379-632112345", GENERAL_PHONE_MESSAGE),  # local number too long
        ("0379-03211234", GENERAL_PHONE_MESSAGE),  # local number starting with 0
        ("0379-63211234-1234567", GENERAL_PHONE_MESSAGE),  # extension too long
        ("0379-63211234ext123", GENERAL_PHONE_MESSAGE),
        ("+1 415 555 0100", GENERAL_PHONE_MESSAGE),
        ("+85213812345678", GENERAL_PHONE_MESSAGE),
        ("abcdefghijk", GENERAL_PHONE_MESSAGE),
        ("400-123-4567", GENERAL_PHONE_MESSAGE),
    ],
)
def test_it_says_what_is_wrong_with_a_phone_number(raw, message):
    with pytest.raises(ValidationError) as raised:
        validate_phone(raw)
    assert messages_of(raised) == [message]


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        ("0379-63211234", "0379-****1234"),
        ("(0379)63211234", "0379-****1234"),
        ("037963211234", "0379-****1234"),
        ("020-12345678", "020-****5678"),
        ("010-1234567", "010-****4567"),
        ("0379-63211234转123", "0379-****1234"),
        ("", ""),
        ("123", "****"),
        ("not a phone 9876", "****9876"),
    ],
)
def test_it_masks_phone_numbers(raw, masked):
    assert mask_phone(raw) == masked


def test_messages_render_in_any_active_language():
    # Whether or not the English catalog has the message yet, the params are filled in.
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        validate_credit_code("9135")
    assert "18" in raised.value.messages[0] and "4" in raised.value.messages[0]
    assert "%(" not in raised.value.messages[0]
