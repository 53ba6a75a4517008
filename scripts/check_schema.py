"""Validates dataset files against the dataset JSON Schema (Draft 2020-12)."""
import json
import sys

import jsonschema


def main() -> int:
    schema_path, *files = sys.argv[1:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failed = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        for e in errors[:20]:
            print(f"{path}: {'/'.join(map(str, e.path))}: {e.message}")
        failed += bool(errors)
        print(f"schema: {path}: {'ok' if not errors else f'{len(errors)} error(s)'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
