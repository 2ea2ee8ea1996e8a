"""detente.load, ScenarioError and its diagnostics, check, the writers, reprs."""

import pathlib

import pytest

import detente
from conftest import KURIL, LAPTOP

BAD = 'format = 1\nname = "x"\n[[issues]]\nid = 3\n'

WARNS = """format = 1
name = "Actor without stances"

[[issues]]
id = "treaty"
options = ["no", "yes"]

[[actors]]
id = "japan"
stances.treaty = { position = "yes", salience = 1.0 }

[[actors]]
id = "observer"
"""


def test_a_path_a_pathlike_and_the_text_load_the_same_scenario():
    by_str = detente.load(str(KURIL))
    by_path = detente.load(KURIL)
    by_text = detente.load(KURIL.read_text())
    assert by_str.name == by_path.name == by_text.name == "Kuril Islands peace-treaty talks, January 2019"
    assert by_str.to_toml() == by_text.to_toml()
    assert by_str.file == str(KURIL)
    assert by_text.file == "<text>"
    assert by_str.actors[:3] == ["japan", "japan_public", "russia"]
    assert len(by_str.issues) == 11


def test_a_genius_folder_loads():
    s = detente.load(LAPTOP)
    assert s.issues == ["laptop", "harddisk", "external_monitor"]
    assert s.outcome_count == 27


def test_a_missing_file_is_file_not_found():
    with pytest.raises(FileNotFoundError):
        detente.load("scenarios/no-such-file.toml")
    with pytest.raises(FileNotFoundError):
        detente.load(pathlib.Path("no/such/folder"))
    with pytest.raises(TypeError):
        detente.load(42)
    # An empty text is a text (with errors), not a path.
    with pytest.raises(detente.ScenarioError):
        detente.load("")


def test_errors_carry_every_diagnostic_with_line_and_column():
    with pytest.raises(detente.ScenarioError) as info:
        detente.load(BAD)
    err = info.value
    assert isinstance(err, ValueError) and isinstance(err, detente.DetenteError)
    codes = [d.code for d in err.diagnostics]
    assert codes[0] == "scenario::wrong-type"
    first = err.diagnostics[0]
    assert (first.file, first.line, first.column, first.severity) == ("<text>", 4, 6, "error")
    assert first.help == "put the text in quotes"
    assert "scenario::missing-field" in codes
    assert err.document["valid"] is False
    text = str(err)
    assert text.splitlines()[0] == "<text>: 3 errors"
    assert "<text>:4:6: error[scenario::wrong-type]: issue id must be a string" in text
    assert len(text.splitlines()) == 1 + len(err.diagnostics)


def test_errors_in_a_file_name_the_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD)
    with pytest.raises(detente.ScenarioError) as info:
        detente.load(bad)
    d = info.value.diagnostics[0]
    assert (d.file, d.line, d.column) == (str(bad), 4, 6)
    assert d.to_dict()["code"] == "scenario::wrong-type"


def test_errors_match_check_format_json(cli, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD)
    with pytest.raises(detente.ScenarioError) as info:
        detente.load(bad)
    subprocess_doc = cli_check(cli, bad)
    assert info.value.document == subprocess_doc["files"][0]


def cli_check(cli, path):
    import json
    import subprocess

    from conftest import cli_binary

    out = subprocess.run([str(cli_binary()), "check", "--format", "json", str(path)], capture_output=True, text=True)
    assert out.returncode == 1
    return json.loads(out.stdout)


def test_check_lists_the_warnings():
    s = detente.load(WARNS)
    warnings = s.check()
    assert [w.code for w in warnings] == ["scenario::no-stances"]
    assert warnings[0].severity == "warning"
    assert warnings[0].line == 12
    assert detente.load(KURIL).check() == []


def test_toml_and_json_writers_read_back_equal():
    s = detente.load(KURIL)
    again = detente.load(s.to_toml())
    assert again.to_toml() == s.to_toml()
    from_json = detente.load(s.to_json())
    assert from_json.to_toml() == s.to_toml()
    assert s.to_json().lstrip().startswith("{")


def test_scenario_reprs():
    s = detente.load(KURIL)
    h = s._repr_html_()
    assert "Kuril Islands peace-treaty talks" in h
    assert f"{s.outcome_count:,} outcomes" in h
    assert "japan" in h and "habomai_shikotan" in h and "9 constraints" in h
    assert repr(s) == "<detente.Scenario 'Kuril Islands peace-treaty talks, January 2019': 6 actors, 11 issues>"


def test_models_and_strategies_come_from_the_registries():
    assert "eum-replication" in detente.models() and "exchange" in detente.models()
    assert {"boulware", "conceder", "random"} <= set(detente.strategies())
