"""Interop oracle for the Otto.Schemas tests: the Apache Avro reference implementation (python3-avro).

Reads one JSON request per line on stdin, answers one JSON line on stdout:
  {"op": "encode", "schema": <json text>, "value": <json-ish>}   -> {"ok": true, "hex": "..."}
  {"op": "decode", "schema": <json text>, "hex": "...", "reader": <optional json text>} -> {"ok": true, "value": <json-ish>}
  {"op": "canonical", "schema": <json text>}                     -> {"ok": true, "canonical": "...", "fingerprint": <int64>}
  {"op": "avro_json", "schema": <json text>, "json": <Avro JSON encoding text>, "hex": "..."}
      -> {"ok": true, "hex": <the JSON's datum encoded here>, "same": <our bytes decode here to that datum>}
JSON-ish values: decimals are strings, timestamp-millis are epoch millis, bytes/fixed are hex strings.
"""
import datetime
import decimal
import io
import json
import struct
import sys

import avro.io
import avro.schema

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
EMPTY = 0xC15D213AA4D7A795


def rabin_table():
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (EMPTY & -(fp & 1))
        table.append(fp)
    return table


TABLE = rabin_table()


def fingerprint(data):
    fp = EMPTY
    for b in data:
        fp = (fp >> 8) ^ TABLE[(fp ^ b) & 0xFF]
    return fp - (1 << 64) if fp >= (1 << 63) else fp


def logical(s):
    return s.get_prop("logicalType") if hasattr(s, "get_prop") else None


def to_python(s, v):
    t = s.type
    if t == "union":
        if v is None:
            return None
        branch = next(b for b in s.schemas if b.type != "null")
        return to_python(branch, v)
    if t in ("record", "error"):
        return {f.name: to_python(f.type, v[f.name]) for f in s.fields}
    if t == "array":
        return [to_python(s.items, x) for x in v]
    if t == "map":
        return {k: to_python(s.values, x) for k, x in v.items()}
    lt = logical(s)
    if lt == "decimal":
        return decimal.Decimal(v)
    if lt == "timestamp-millis":
        return EPOCH + datetime.timedelta(milliseconds=v)
    if t in ("bytes", "fixed"):
        return bytes.fromhex(v)
    return v


def branch_name(s):
    return s.fullname if hasattr(s, "fullname") else s.type


def from_avro_json(s, v):
    """The spec's JSON encoding (unions wrapped as {"branch": value}, bytes as code points 0-255) to a datum.
    python3-avro has no JSON encoder of its own; this follows the spec's text independently of the C# one."""
    t = s.type
    if t == "union":
        if v is None:
            return None
        (name, inner), = v.items()
        return from_avro_json(next(b for b in s.schemas if branch_name(b) == name), inner)
    if t in ("record", "error"):
        return {f.name: from_avro_json(f.type, v[f.name]) for f in s.fields}
    if t == "array":
        return [from_avro_json(s.items, x) for x in v]
    if t == "map":
        return {k: from_avro_json(s.values, x) for k, x in v.items()}
    if t in ("bytes", "fixed"):
        raw = v.encode("latin-1")
        if logical(s) == "decimal":
            return decimal.Decimal(int.from_bytes(raw, "big", signed=True)).scaleb(-s.get_prop("scale"))
        return raw
    if t == "float":  # the value a 32-bit float holds, as decoding yields it
        return struct.unpack("<f", struct.pack("<f", float(v)))[0]
    if t == "double":
        return float(v)
    if logical(s) == "timestamp-millis":
        return EPOCH + datetime.timedelta(milliseconds=v)
    if logical(s) == "timestamp-micros":
        return EPOCH + datetime.timedelta(microseconds=v)
    if logical(s) == "date":
        return datetime.date(1970, 1, 1) + datetime.timedelta(days=v)
    if logical(s) in ("time-millis", "time-micros"):
        micros = v * 1000 if logical(s) == "time-millis" else v
        return (datetime.datetime.min + datetime.timedelta(microseconds=micros)).time()
    return v


def to_json(v):
    if isinstance(v, dict):
        return {k: to_json(x) for k, x in v.items()}
    if isinstance(v, list):
        return [to_json(x) for x in v]
    if isinstance(v, decimal.Decimal):
        return str(v)
    if isinstance(v, datetime.datetime):
        return (v - EPOCH) // datetime.timedelta(milliseconds=1)
    if isinstance(v, bytes):
        return v.hex()
    return v


def handle(req):
    schema = avro.schema.parse(req["schema"])
    op = req["op"]
    if op == "encode":
        buf = io.BytesIO()
        avro.io.DatumWriter(schema).write(to_python(schema, req["value"]), avro.io.BinaryEncoder(buf))
        return {"hex": buf.getvalue().hex()}
    if op == "decode":
        reader = avro.schema.parse(req["reader"]) if req.get("reader") else schema
        data = bytes.fromhex(req["hex"])
        decoder = avro.io.BinaryDecoder(io.BytesIO(data))
        value = avro.io.DatumReader(schema, reader).read(decoder)
        return {"value": to_json(value)}
    if op == "avro_json":
        datum = from_avro_json(schema, json.loads(req["json"]))
        buf = io.BytesIO()
        avro.io.DatumWriter(schema).write(datum, avro.io.BinaryEncoder(buf))
        ours = avro.io.DatumReader(schema).read(avro.io.BinaryDecoder(io.BytesIO(bytes.fromhex(req["hex"]))))
        return {"hex": buf.getvalue().hex(), "same": ours == datum}
    if op == "canonical":
        canonical = schema.canonical_form
        return {"canonical": canonical, "fingerprint": fingerprint(canonical.encode("utf-8"))}
    raise ValueError("unknown op " + op)


for line in sys.stdin:
    try:
        response = handle(json.loads(line))
        response["ok"] = True
    except Exception as e:  # the test reports the reference implementation's own message
        response = {"ok": False, "error": type(e).__name__ + ": " + str(e)}
    sys.stdout.write(json.dumps(response) + "\n")
    sys.stdout.flush()
