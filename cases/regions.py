"""The administrative division in a unified social credit code, and the region it names.

Characters 3–8 of the code are the registration authority's division (GB/T 2260): two digits of
province, two of city, two of district. A federation's `region` is written as the demo and the
seed documents write it: province, city and district names run together ("河南省洛阳市涧西区";
a municipality only once: "天津市"). This table names the provinces and the cities and districts
the mechanisms serve; a division not in it still resolves to its city or province.
"""

from __future__ import annotations

PROVINCES = {
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
}
MUNICIPALITIES = {"11", "12", "31", "50"}
CITIES = {
    "4103": "洛阳市",
    "4401": "广州市",
    "4403": "深圳市",
    "3501": "福州市",
}
DISTRICTS = {
    "410302": "老城区",
    "410303": "西工区",
    "410304": "瀍河回族区",
    "410305": "涧西区",
    "410307": "偃师区",
    "410308": "孟津区",
    "410311": "洛龙区",
    "440106": "天河区",
    "120102": "河东区",
    "120103": "河西区",
}


def division_of(credit_code: str) -> str:
    """The six division digits of a (normalised) credit code, or "" when there are none."""
    division = (credit_code or "")[2:8]
    return division if len(division) == 6 and division.isdigit() else ""


def regions_of(division: str) -> list[str]:
    """The region names a division falls in, the most specific first (district, city, province)."""
    province = PROVINCES.get(division[:2])
    if not province:
        return []
    if division[:2] in MUNICIPALITIES:
        city = province
    else:
        city_name = CITIES.get(division[:4])
        city = f"{province}{city_name}" if city_name else ""
    names = []
    district = DISTRICTS.get(division)
    if district and city:
        names.append(f"{city}{district}")
    if city:
        names.append(city)
    if province not in names:
        names.append(province)
    return names
