"""`chizheng check --deploy` says no issues with deploy/production.env.example (plus keys)."""

from __future__ import annotations

from pathlib import Path

from .conftest import CHIZHENG, ROOT, bare_environment, fresh_keys, run

EXAMPLE = ROOT / "deploy" / "production.env.example"
README = ROOT / "README.md"


def example_settings() -> dict[str, str]:
    values: dict[str, str] = {}
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, value = line.split("=", 1)
            values[key] = value
    return values


def test_the_example_ships_no_secret() -> None:
    settings = example_settings()
    for name in fresh_keys():
        assert settings[name] == "", f"{name} must be generated on the machine, not shipped"


def test_check_deploy_has_no_issues_with_the_example(tmp_path: Path) -> None:
    env = {
        **bare_environment(tmp_path / "var"),
        **example_settings(),
        **fresh_keys(),
        "CHIZHENG_VAR_DIR": str(tmp_path / "var"),
    }
    r = run([str(CHIZHENG), "check", "--deploy", "--fail-level", "WARNING"], env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "System check identified no issues (0 silenced)." in r.stdout


def test_check_deploy_warns_without_them(tmp_path: Path) -> None:
    """The same check is not blind: the defaults (a developer's machine) are reported."""
    env = {**bare_environment(tmp_path / "var"), **fresh_keys()}
    r = run([str(CHIZHENG), "check", "--deploy", "--fail-level", "WARNING"], env)
    assert r.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in r.stderr


def test_every_variable_of_the_example_is_documented() -> None:
    readme = README.read_text(encoding="utf-8")
    table = readme[readme.index("## Configuration") :]
    for name in example_settings():
        assert f"`{name}`" in table, f"{name} is not in the README's Configuration table"
