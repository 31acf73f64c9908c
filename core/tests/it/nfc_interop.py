# The second NDEF implementation for core/tests/it/nfc_interop.rs: Python's ndeflib.
# Reads a JSON list of operations on stdin, writes a JSON list of results on stdout.
#   {"op": "decode", "hex": H}            -> {"records": [...]} or {"error": text}
#   {"op": "encode", "records": [spec]}   -> {"hex": H}
#   {"op": "encode_chunked", "type": T, "data": H, "size": N} -> {"hex": H}
import json
import sys

import ndef


def describe(record, raw):
    # The data is the raw record's: a typed record re-encodes its own (UTF-16 text, little-endian).
    out = {"type": record.type, "id": raw.name.encode("latin-1").hex(), "data": bytes(raw.data).hex()}
    if isinstance(record, ndef.UriRecord):
        out["uri"] = record.iri
    elif isinstance(record, ndef.TextRecord):
        out.update(text=record.text, lang=record.language, encoding=record.encoding.lower())
    elif isinstance(record, ndef.SmartposterRecord):
        out.update(uri=record.resource.iri, titles=dict(record.titles), action=record.action)
    return out


def decode(octets):
    # Chunks come out of ndeflib as separate records (the later ones typed 'unchanged'): join them first, then
    # decode each joined record again with the registered record types.
    raw = []
    for record in ndef.message_decoder(octets, known_types={}):
        if record.type == "unchanged" and raw:
            raw[-1] = ndef.Record(raw[-1].type, raw[-1].name, bytes(raw[-1].data) + bytes(record.data))
        else:
            raw.append(record)
    out = []
    for record in raw:
        [typed] = list(ndef.message_decoder(b"".join(ndef.message_encoder([record]))))
        out.append(describe(typed, record))
    return out


def build(spec):
    kind = spec["kind"]
    if kind == "uri":
        record = ndef.UriRecord(spec["uri"])
    elif kind == "text":
        record = ndef.TextRecord(spec["text"], spec["lang"], spec["encoding"].upper())
    elif kind == "sp":
        record = ndef.SmartposterRecord(spec["uri"], spec["titles"], spec.get("action"))
    elif kind == "aar":
        record = ndef.Record("urn:nfc:ext:android.com:pkg", "", spec["package"].encode())
    else:
        record = ndef.Record(spec["type"], "", bytes.fromhex(spec["data"]))
    if spec.get("id"):
        record.name = bytes.fromhex(spec["id"]).decode("latin-1")
    return record


def encode_chunked(record_type, data, size):
    pieces = [data[i:i + size] for i in range(0, len(data), size)]
    out = b""
    for index, piece in enumerate(pieces):
        first, last = index == 0, index == len(pieces) - 1
        record = ndef.Record(record_type if first else "unchanged", "", piece)
        out += record._encode(mb=first, me=last, cf=not last)
    return out


results = []
for op in json.load(sys.stdin):
    try:
        if op["op"] == "decode":
            results.append({"records": decode(bytes.fromhex(op["hex"]))})
        elif op["op"] == "encode":
            records = [build(spec) for spec in op["records"]]
            results.append({"hex": b"".join(ndef.message_encoder(records)).hex()})
        else:
            results.append({"hex": encode_chunked(op["type"], bytes.fromhex(op["data"]), op["size"]).hex()})
    except Exception as error:  # reported to the Rust side, which decides
        results.append({"error": repr(error)})
json.dump(results, sys.stdout, ensure_ascii=False)
