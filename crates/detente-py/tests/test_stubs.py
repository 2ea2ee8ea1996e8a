"""The type stubs (__init__.pyi) name what the package has, with the same
parameters."""

import ast
import inspect
import pathlib

import detente


def stub_tree():
    path = pathlib.Path(detente.__file__).with_name("__init__.pyi")
    return ast.parse(path.read_text())


def params(fn: ast.FunctionDef):
    a = fn.args
    return [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs]


def test_every_stubbed_function_and_method_exists_with_its_parameters():
    checked = 0
    for node in stub_tree().body:
        if isinstance(node, ast.FunctionDef):
            runtime = getattr(detente, node.name)
            assert list(inspect.signature(runtime).parameters) == params(node), node.name
            checked += 1
        elif isinstance(node, ast.ClassDef):
            cls = getattr(detente, node.name)
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and not item.name.startswith("__"):
                    attr = inspect.getattr_static(cls, item.name)
                    if isinstance(attr, property):
                        continue
                    fn = attr.__func__ if isinstance(attr, classmethod) else attr
                    names = list(inspect.signature(fn).parameters)
                    stub = params(item)
                    assert names == stub, f"{node.name}.{item.name}: {names} != {stub}"
                    checked += 1
    assert checked >= 20
    assert set(detente.__all__) <= {n.name for n in stub_tree().body if hasattr(n, "name")} | {"__version__"}
