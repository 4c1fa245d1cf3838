"""Importing GENIUS domains (ANAC XML): every shipped domain loads, utilities match GENIUS's own
semantics (re-implemented here straight from the XML), and bad input fails with a clear error."""

from __future__ import annotations

import itertools
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

import peacetalks
from peacetalks.errors import ScenarioError, UsageError
from peacetalks.io.genius import genius_to_yaml, load_genius, read_published_pareto

GENIUS = Path(__file__).resolve().parents[2] / "shared" / "genius"
FOLDERS = sorted(p for p in GENIUS.glob("y*/*") if p.is_dir()) if GENIUS.is_dir() else []
needs_genius = pytest.mark.skipif(not FOLDERS, reason=f"no GENIUS domains at {GENIUS}")
SMALL_SPACE = 200_000


def folder_id(folder: Path) -> str:
    return f"{folder.parent.name}/{folder.name}"


# --------------------------------------------------------------------------- GENIUS, directly


def xml_files(folder: Path) -> tuple[ET.Element, dict[str, ET.Element]]:
    """The domain's utility_space and each profile's (by file stem), read straight from XML."""
    domain: ET.Element | None = None
    profiles: dict[str, ET.Element] = {}
    for path in sorted(folder.glob("*.xml")):
        if not path.read_text().lstrip().startswith("<"):
            continue  # the published pareto.xml is plain text
        root = ET.parse(path).getroot()
        space = root if root.tag == "utility_space" else root.find("utility_space")
        assert space is not None
        text = path.read_text()
        markers = ("evaluation=", "<weight", "hyperRectangle", "<reservation", "discount_factor")
        if any(marker in text for marker in markers):
            profiles[path.stem] = space
        else:
            domain = space
    assert domain is not None
    return domain, profiles


def domain_issues(domain: ET.Element) -> list[tuple[int, str, list[str]]]:
    """(index, type, values) of each issue in file order; integer values as their integers."""
    out = []
    for issue in domain.iter("issue"):
        kind = issue.get("type") or issue.get("vtype") or "discrete"
        if kind == "integer":
            low, high = int(issue.get("lowerbound", "")), int(issue.get("upperbound", ""))
            values = [str(x) for x in range(low, high + 1)]
        else:
            values = [item.get("value", "") for item in issue.findall("item")]
        out.append((int(issue.get("index", "")), kind, values))
    return out


def genius_additive(domain: ET.Element, profile: ET.Element, packages: np.ndarray) -> np.ndarray:
    """AdditiveUtilitySpace.getUtility: min(1, sum of weight x evaluation), weights as written."""
    issues = domain_issues(domain)
    weights = {int(w.get("index", "")): float(w.get("value", "")) for w in profile.iter("weight")}
    elements = {int(e.get("index", "")): e for e in profile.iter("issue")}
    total = np.zeros(len(packages))
    for column, (index, kind, values) in enumerate(issues):
        element = elements[index]
        table = []
        if kind == "discrete":
            evaluations = {
                item.get("value"): float(item.get("evaluation", ""))
                for item in element.findall("item")
            }
            top = max(evaluations.values())
            for value in values:
                table.append(0.0 if top < 0.00001 else evaluations[value] / top)
        else:
            low = int(element.get("lowerbound", ""))
            evaluator = element.find("evaluator")
            slope = float(evaluator.get("slope", "0")) if evaluator is not None else 0.0
            offset = float(evaluator.get("offset", "0")) if evaluator is not None else 0.0
            for value in values:
                u = offset + slope * (int(value) - low)
                table.append(0.0 if u < 0 else 1.0 if u > 1 else u)
        total += weights[index] * np.array(table)[packages[:, column]]
    return np.minimum(total, 1.0)


def genius_nonlinear(domain: ET.Element, profile: ET.Element, packages: np.ndarray) -> np.ndarray:
    """NonlinearUtilitySpace.getUtility: min(1, sum of covering rectangles / maxutility)."""
    issues = domain_issues(domain)
    column_of = {index: column for column, (index, _, _) in enumerate(issues)}
    utility = profile.find("objective/utility")
    assert utility is not None
    total = np.zeros(len(packages))
    for rectangle in utility.iter("hyperRectangle"):
        covered = np.ones(len(packages), dtype=bool)
        for bound in rectangle.findall("INCLUDES"):
            column = column_of[int(bound.get("index", ""))]
            values = np.array([int(v) for v in issues[column][2]])[packages[:, column]]
            covered &= (int(bound.get("min", "")) <= values) & (values <= int(bound.get("max", "")))
        total += float(rectangle.get("utility", "")) * covered
    return np.minimum(total / float(utility.get("maxutility", "")), 1.0)


def party_of(scenario: peacetalks.Scenario, stem: str) -> int:
    return [party.name for party in scenario.parties].index(stem)


# --------------------------------------------------------------------------- the shipped domains


@needs_genius
def test_the_genius_collection_is_all_there() -> None:
    years = {folder.parent.name for folder in FOLDERS}
    assert years == {"y2010", "y2011", "y2014", "y2015", "y2016"}
    assert len(FOLDERS) >= 50


@needs_genius
@pytest.mark.parametrize("folder", FOLDERS, ids=folder_id)
def test_every_domain_loads(folder: Path) -> None:
    started = time.perf_counter()
    scenario = load_genius(folder)
    assert time.perf_counter() - started < 2.0
    domain, profiles = xml_files(folder)
    assert scenario.id == f"genius-{folder.parent.name}-{folder.name}".lower()
    assert scenario.as_of.year == int(folder.parent.name[1:])
    assert [party.name for party in scenario.parties] == sorted(profiles)
    assert all(party.signatory and party.kind == "other" for party in scenario.parties)
    issues = domain_issues(domain)
    assert [len(issue.options) for issue in scenario.issues] == [len(v) for _, _, v in issues]
    for party in scenario.parties:
        space = profiles[party.name]
        prefs = scenario.preferences[party.id]
        reservation = space.find("reservation")
        assert prefs.reservation == (
            float(reservation.get("value", "")) if reservation is not None else 0.0
        )
        factor = space.find("discount_factor")
        df = float(factor.get("value", "")) if factor is not None else 1.0
        assert prefs.discount == (df if 0 < df < 1 else None)


SMALL = [
    folder
    for folder in FOLDERS
    if not (folder / "pareto.xml").exists()
    and np.prod([len(v) for _, _, v in domain_issues(xml_files(folder)[0])]) <= SMALL_SPACE
]


@needs_genius
@pytest.mark.parametrize("folder", SMALL, ids=folder_id)
def test_small_domains_match_genius_on_every_package(folder: Path) -> None:
    scenario = load_genius(folder)
    domain, profiles = xml_files(folder)
    sizes = [len(v) for _, _, v in domain_issues(domain)]
    packages = np.array(list(itertools.product(*[range(n) for n in sizes])), dtype=np.int64)
    ours = scenario.compiled.utilities(packages)
    for stem, profile in profiles.items():
        expected = genius_additive(domain, profile, packages)
        np.testing.assert_allclose(ours[:, party_of(scenario, stem)], expected, rtol=0, atol=1e-9)


@needs_genius
def test_small_domains_cover_the_interesting_cases() -> None:
    names = {folder.name for folder in SMALL}
    # integer issues, weights summing above 1 and below 1, 9-party domains
    assert {"group9-vacation", "SYAgent", "Laptop", "group3-bank_robbery"} <= names
    assert {"Grandma", "YXAgent", "group1-university", "group5-car_domain"} <= names


NONLINEAR = [folder for folder in FOLDERS if (folder / "pareto.xml").exists()]


@needs_genius
@pytest.mark.parametrize("folder", NONLINEAR, ids=folder_id)
def test_anac_2014_domains_match_genius_on_random_outcomes(folder: Path) -> None:
    scenario = load_genius(folder)
    domain, profiles = xml_files(folder)
    sizes = [len(v) for _, _, v in domain_issues(domain)]
    rng = np.random.default_rng(2014)
    packages = rng.integers(0, sizes, size=(2000, len(sizes)), dtype=np.int64)
    ours = scenario.compiled.utilities(packages)
    for stem, profile in profiles.items():
        expected = genius_nonlinear(domain, profile, packages)
        np.testing.assert_allclose(ours[:, party_of(scenario, stem)], expected, rtol=0, atol=1e-9)
        assert not scenario.preferences[scenario.parties[party_of(scenario, stem)].id].weights


@needs_genius
@pytest.mark.parametrize("folder", NONLINEAR, ids=folder_id)
def test_published_pareto_frontiers_parse(folder: Path) -> None:
    points = read_published_pareto(folder)
    lines = [line for line in (folder / "pareto.xml").read_text().splitlines() if line.strip()]
    assert len(points) == len(lines) >= 2
    assert all(len(point) == 2 and all(0 <= u <= 1 for u in point) for point in points)
    assert max(p[0] for p in points) == 1.0 and max(p[1] for p in points) == 1.0
    # a frontier: sorted by the first utility, the second falls
    assert all(a[0] < b[0] and a[1] > b[1] for a, b in itertools.pairwise(points))


@needs_genius
@pytest.mark.parametrize(
    "name", ["y2011/Laptop", "y2016/SYAgent", "y2015/group9-killer_robot", "y2014/30issues"]
)
def test_yaml_round_trip_equals_the_loaded_scenario(name: str) -> None:
    folder = GENIUS / name
    text = genius_to_yaml(folder)
    assert peacetalks.parse(text, file=f"{name}.yaml") == load_genius(folder)


@needs_genius
def test_the_whole_collection_loads_quickly() -> None:
    started = time.perf_counter()
    for folder in FOLDERS:
        load_genius(folder)
    assert time.perf_counter() - started < 15.0


# --------------------------------------------------------------------------- synthetic domains

DOMAIN = """<negotiation_template>
<utility_space number_of_issues="2">
<objective index="0" name="root" type="objective" etype="objective">
  <issue index="1" name="Price level" type="discrete" etype="discrete" vtype="discrete">
    <item index="1" value="Low"/>
    <item index="2" value="$ High"/>
    <item index="3" value="low"/>
  </issue>
  <issue index="2" name="Days" type="integer" etype="integer" vtype="integer"
         lowerbound="-1" upperbound="2"/>
</objective>
</utility_space>
</negotiation_template>
"""

PROFILE = """<utility_space>
  <objective index="0" name="root" type="objective" etype="objective">
    <weight index="1" value="{w1}"/>
    <weight index="2" value="{w2}"/>
    <issue index="1" name="Price level" type="discrete" etype="discrete" vtype="discrete">
      <item index="1" value="Low" evaluation="{e1}"/>
      <item index="2" value="$ High" evaluation="{e2}"/>
      <item index="3" value="low" evaluation="{e3}"/>
    </issue>
    <issue index="2" name="Days" type="integer" etype="integer" vtype="integer"
           lowerbound="-1" upperbound="2">
      <evaluator ftype="linear" slope="{slope}" offset="{offset}"/>
    </issue>
  </objective>
  {extra}
</utility_space>
"""


def profile(
    w1: float = 0.6,
    w2: float = 0.4,
    e: tuple[float, float, float] = (2, 4, 1),
    slope: float = 0.5,
    offset: float = 0.0,
    extra: str = "",
) -> str:
    return PROFILE.format(
        w1=w1, w2=w2, e1=e[0], e2=e[1], e3=e[2], slope=slope, offset=offset, extra=extra
    )


def write(folder: Path, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.xml").write_text(text)
    return folder


@pytest.fixture
def domain(tmp_path: Path) -> Path:
    return write(
        tmp_path / "y2013" / "Toy_Domain",
        toy=DOMAIN,
        Buyer=profile(extra='<reservation value="0.25"/><discount_factor value="1.0"/>'),
        seller=profile(w1=0.3, w2=0.7, e=(1, 0, 3), slope=-0.5, offset=1.0),
    )


def all_packages(scenario: peacetalks.Scenario) -> np.ndarray:
    sizes = [len(issue.options) for issue in scenario.issues]
    return np.array(list(itertools.product(*[range(n) for n in sizes])), dtype=np.int64)


def test_a_synthetic_domain_imports_as_genius_defines_it(domain: Path) -> None:
    scenario = load_genius(domain)
    assert scenario.id == "genius-y2013-toy_domain"
    assert scenario.as_of.isoformat() == "2013-01-01"
    assert [p.id for p in scenario.parties] == ["buyer", "seller"]
    price, days = scenario.issues
    assert price.option_ids == ("low", "high", "low-2")
    assert [o.label for o in price.options] == ["Low", "$ High", "low"]
    assert days.option_ids == ("n-1", "v0", "v1", "v2")
    assert [o.amount for o in days.options] == [-1, 0, 1, 2]
    buyer = scenario.preferences["buyer"]
    assert buyer.values["price-level"] == {"low": 0.5, "high": 1.0, "low-2": 0.25}
    assert buyer.values["days"] == {"n-1": 0.0, "v0": 0.5, "v1": 1.0, "v2": 1.0}  # clipped
    assert buyer.reservation == 0.25 and buyer.discount is None  # 1.0 means no discount
    seller = scenario.preferences["seller"]
    assert seller.values["days"] == {"n-1": 1.0, "v0": 0.5, "v1": 0.0, "v2": 0.0}
    assert seller.reservation == 0


@pytest.mark.parametrize(("w1", "w2"), [(0.5, 0.3), (0.7, 0.6), (0.6, 0.4)])
def test_weights_not_summing_to_one_keep_genius_utilities(
    tmp_path: Path, w1: float, w2: float
) -> None:
    folder = write(tmp_path / "w", d=DOMAIN, a=profile(w1=w1, w2=w2), b=profile())
    scenario = load_genius(folder)
    packages = all_packages(scenario)
    _, profiles = xml_files(folder)
    domain_space = ET.fromstring(DOMAIN).find("utility_space")
    assert domain_space is not None
    expected = genius_additive(domain_space, profiles["a"], packages)
    np.testing.assert_allclose(scenario.compiled.utilities(packages)[:, 0], expected, atol=1e-12)
    assert peacetalks.parse(genius_to_yaml(folder)) == scenario
    if w1 + w2 > 1:
        assert expected.max() == 1.0  # GENIUS's cap binds and is reproduced


def test_a_discount_below_one_is_kept(tmp_path: Path) -> None:
    extra = '<discount_factor value="0.5"/>'
    folder = write(tmp_path / "d", d=DOMAIN, a=profile(extra=extra), b=profile())
    assert load_genius(folder).preferences["a"].discount == 0.5


def nonlinear(rectangles: str, maxutility: float = 10) -> str:
    return f"""<utility_space type="nonlinear">
<objective index="0" name="root" type="objective" etype="objective">
  <issue index="1" name="a" type="integer" etype="integer" vtype="integer"
         lowerbound="0" upperbound="3"/>
  <issue index="2" name="b" type="integer" etype="integer" vtype="integer"
         lowerbound="0" upperbound="3"/>
  <utility maxutility="{maxutility}">
    <ufun type="PlainUfun" weight="1" aggregation="sum">{rectangles}</ufun>
  </utility>
</objective>
<reservation value="0.5"/>
</utility_space>
"""


NL_DOMAIN = """<negotiation_template><utility_space>
<objective index="0" name="root" type="objective" etype="objective">
  <issue index="1" name="a" type="integer" etype="integer" vtype="integer"
         lowerbound="0" upperbound="3"/>
  <issue index="2" name="b" type="integer" etype="integer" vtype="integer"
         lowerbound="0" upperbound="3"/>
</objective></utility_space></negotiation_template>"""


def test_hyper_rectangles_become_interactions(tmp_path: Path) -> None:
    rectangles = (
        '<hyperRectangle utility="4"><INCLUDES index="1" min="1" max="2"/>'
        '<INCLUDES index="2" min="0" max="3"/></hyperRectangle>'
        '<hyperRectangle utility="3"/>'  # no bounds: holds everywhere
        '<hyperRectangle utility="5"><INCLUDES index="2" min="7" max="9"/></hyperRectangle>'
        '<hyperRectangle utility="3"><INCLUDES index="1" min="3" max="3"/>'
        '<INCLUDES index="2" min="2" max="3"/></hyperRectangle>'
    )
    folder = write(tmp_path / "nl", d=NL_DOMAIN, p1=nonlinear(rectangles), p2=nonlinear(rectangles))
    scenario = load_genius(folder)
    prefs = scenario.preferences["p1"]
    assert not prefs.weights and prefs.reservation == 0.5
    assert len(prefs.interactions) == 3  # the rectangle outside the issue's range never holds
    assert prefs.interactions[0].when == {"a": ("v1", "v2")}
    packages = all_packages(scenario)
    _, profiles = xml_files(folder)
    domain_space = ET.fromstring(NL_DOMAIN).find("utility_space")
    assert domain_space is not None
    expected = genius_nonlinear(domain_space, profiles["p1"], packages)
    np.testing.assert_allclose(scenario.compiled.utilities(packages)[:, 0], expected, atol=1e-12)


# --------------------------------------------------------------------------- bad input


def problem_of(folder: Path) -> str:
    with pytest.raises(ScenarioError) as caught:
        load_genius(folder)
    problem = caught.value.problems[0]
    assert problem.file is not None and Path(problem.file).parent == folder
    return str(problem)


def test_a_real_issue_is_refused(tmp_path: Path) -> None:
    text = DOMAIN.replace(
        'name="Days" type="integer" etype="integer" vtype="integer"',
        'name="Days" type="real" etype="real" vtype="real"',
    )
    folder = write(tmp_path / "r", d=text, a=profile(), b=profile())
    message = problem_of(folder)
    assert "'Days' is a real (continuous) issue" in message and "d.xml:9" in message


@pytest.mark.parametrize(
    "bomb",
    [
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
        "<utility_space><reservation value='&lol2;'/></utility_space>",
        '<!DOCTYPE utility_space SYSTEM "file:///etc/passwd"><utility_space/>',
        '<utility_space><!ENTITY x "y"></utility_space>',
    ],
    ids=["billion-laughs", "external-dtd", "stray-entity"],
)
def test_dtds_and_entities_are_refused(tmp_path: Path, bomb: str) -> None:
    folder = write(tmp_path / "bomb", d=DOMAIN, a=profile(), b=bomb)
    message = problem_of(folder)
    assert "is refused" in message and "b.xml" in message


def test_a_missing_profile_is_reported(tmp_path: Path) -> None:
    folder = write(tmp_path / "m", d=DOMAIN, a=profile())
    message = problem_of(folder)
    assert "at least two profiles; found 1 (a.xml)" in message and "d.xml" in message


def test_truncated_xml_is_reported_with_its_line(tmp_path: Path) -> None:
    text = profile()
    folder = write(tmp_path / "t", d=DOMAIN, a=profile(), b=text[: len(text) // 2])
    message = problem_of(folder)
    assert "not well-formed XML" in message and "b.xml:" in message


def test_a_profile_over_different_issues_is_reported(tmp_path: Path) -> None:
    other = profile().replace('value="$ High"', 'value="Medium"')
    folder = write(tmp_path / "o", d=DOMAIN, a=profile(), b=other)
    message = problem_of(folder)
    assert "different values than the domain" in message and "'Medium'" in message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('ftype="linear"', 'ftype="faratin"'), "unknown ftype 'faratin'"),
        (('<weight index="2" value="0.4"/>', ""), "'Days' has no <weight>"),
        (('evaluation="4"', 'evaluation="much"'), "evaluation='much' is not a number"),
        (('evaluation="4"', 'evaluation="-4"'), "negative evaluation"),
        (('slope="0.5"', ""), "has no 'slope' attribute"),
    ],
)
def test_unsupported_or_broken_profiles_are_reported(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    broken = profile().replace(*change)
    folder = write(tmp_path / "p", d=DOMAIN, a=profile(), b=broken)
    assert expected in problem_of(folder)


def test_excludes_rectangles_are_refused(tmp_path: Path) -> None:
    bad = nonlinear(
        '<hyperRectangle utility="1"><EXCLUDES index="1" min="0" max="1"/></hyperRectangle>'
    )
    folder = write(tmp_path / "x", d=NL_DOMAIN, p1=bad, p2=bad)
    assert "EXCLUDES bounds, which are not supported" in problem_of(folder)


def test_paths_that_are_not_domain_folders_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no GENIUS domain folder"):
        load_genius(tmp_path / "nowhere")
    (tmp_path / "file.xml").write_text(DOMAIN)
    with pytest.raises(UsageError, match="is not a folder"):
        load_genius(tmp_path / "file.xml")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(UsageError, match="not a GENIUS domain folder"):
        genius_to_yaml(empty)


def test_a_malformed_pareto_file_is_reported(tmp_path: Path) -> None:
    folder = write(tmp_path / "pf", d=DOMAIN)
    (folder / "pareto.xml").write_text("\n0.5, 1.0\n1.0, oops\n")
    with pytest.raises(ScenarioError, match=r"pareto.xml:3: .*comma-separated"):
        read_published_pareto(folder)
    (folder / "pareto.xml").unlink()
    with pytest.raises(ScenarioError, match="no published Pareto frontier"):
        read_published_pareto(folder)
