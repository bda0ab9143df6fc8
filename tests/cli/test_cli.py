"""`troly`: one entry point that hands each command to the package that owns it."""

from __future__ import annotations

import pytest

from cli.__main__ import COMMANDS, main


def test_help_lists_every_command(capsys) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in COMMANDS:
        assert name in out


def test_unknown_command_is_a_clear_error(capsys) -> None:
    assert main(["bogus"]) == 2
    assert "unknown command 'bogus'" in capsys.readouterr().err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_reaches_its_package(command: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert "usage:" in capsys.readouterr().out
