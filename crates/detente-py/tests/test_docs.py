"""The docstrings' examples run (from the repository root, where their
relative paths point)."""

import doctest

import detente
import detente._api
import detente._errors
import detente._negotiator
import detente._tournament


@__import__("pytest").mark.parametrize(
    "module", [detente._api, detente._errors, detente._negotiator, detente._tournament, detente]
)
def test_docstring_examples(module, in_root):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 or module is detente
    assert result.failed == 0
