#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""json_schema.py JSON SCHEMA: exit 0 when the JSON document in the file
JSON is valid under the JSON Schema in the file SCHEMA, else print where
it is not ("FAIL schema: ...") and exit 1."""
import json
import sys

import jsonschema

try:
    jsonschema.validate(json.load(open(sys.argv[1])),
                        json.load(open(sys.argv[2])))
except (jsonschema.ValidationError, ValueError) as e:
    where = list(getattr(e, "absolute_path", []))
    print("FAIL schema: %s at %s" % (getattr(e, "message", e), where))
    sys.exit(1)
