#!/usr/bin/python3
"""An independent PC/SC client for Jinka's interop tests: reads a PBOC application the way a terminal starts a
transaction, through pyscard (Debian's python3-pyscard; run it with /usr/bin/python3).

    pboc_read.py --reader "Virtual PCD 00 00" [--aid A000000333010101] [--ppse]

Selects the application (from the PSE, the PPSE with --ppse, or --aid), sends GET PROCESSING OPTIONS with the PDOL
data the card asks for, reads every record the AFL lists, and checks that each response parses as BER-TLV. Prints one
JSON object on stdout; exits 1 with a message on stderr when a step fails. Written for Jinka from ISO/IEC 7816-4 and
EMV Book 3; shares no code with Jinka itself, so a bug the C# code makes on both sides cannot hide here.
"""
import argparse
import json
import os
import sys

from smartcard.System import readers


class Failure(Exception):
    pass


def parse_tlv(data, offset=0, end=None):
    """BER-TLV (ISO/IEC 8825-1 as EMV Book 3 Annex B uses it) into [(tag, value, children-or-None)]."""
    end = len(data) if end is None else end
    items = []
    while offset < end:
        if data[offset] in (0x00, 0xFF):  # padding between objects (EMV Book 3 Annex B)
            offset += 1
            continue
        start = offset
        first = data[offset]
        offset += 1
        tag = first
        if first & 0x1F == 0x1F:
            while True:
                if offset >= end:
                    raise Failure(f"tag at offset {start} runs past the end")
                tag = (tag << 8) | data[offset]
                offset += 1
                if not data[offset - 1] & 0x80:
                    break
        if offset >= end:
            raise Failure(f"length of tag {tag:X} at offset {offset} is missing")
        length = data[offset]
        offset += 1
        if length & 0x80:
            count = length & 0x7F
            if count == 0 or count > 3 or offset + count > end:
                raise Failure(f"bad length field of tag {tag:X} at offset {offset - 1}")
            length = int.from_bytes(data[offset:offset + count], "big")
            offset += count
        if offset + length > end:
            raise Failure(f"value of tag {tag:X} at offset {offset} needs {length} bytes, {end - offset} left")
        value = bytes(data[offset:offset + length])
        children = parse_tlv(value) if first & 0x20 else None
        items.append((tag, value, children))
        offset += length
    return items


def find(items, tag):
    for t, value, children in items:
        if t == tag:
            return value
        if children is not None:
            found = find(children, tag)
            if found is not None:
                return found
    return None


def parse_dol(dol):
    entries, offset = [], 0
    while offset < len(dol):
        tag = dol[offset]
        offset += 1
        if tag & 0x1F == 0x1F:
            while True:
                tag = (tag << 8) | dol[offset]
                offset += 1
                if not dol[offset - 1] & 0x80:
                    break
        entries.append((tag, dol[offset]))
        offset += 1
    return entries


# Terminal data for the PDOL (EMV Book 3 Annex A; JR/T 0025 for 9F66 and 9F7A): a contactless-capable terminal in China.
TERMINAL = {
    0x9F66: bytes.fromhex("28000000"),  # TTQ: qPBOC, offline-only reader
    0x9F02: bytes.fromhex("000000000100"),  # amount 1.00
    0x9F03: bytes(6),
    0x9F1A: bytes.fromhex("0156"),
    0x5F2A: bytes.fromhex("0156"),
    0x9A: bytes.fromhex("260314"),
    0x9C: bytes(1),
    0x95: bytes(5),
    0x9F37: os.urandom(4),
    0x9F7A: bytes.fromhex("01"),  # electronic cash terminal support indicator
}


class Card:
    def __init__(self, reader_name):
        matches = [r for r in readers() if str(r) == reader_name]
        if not matches:
            raise Failure(f"no reader '{reader_name}' (readers: {', '.join(map(str, readers())) or 'none'})")
        self.connection = matches[0].createConnection()
        self.connection.connect()
        self.commands = 0

    def transmit(self, apdu):
        """Sends one command; answers 61xx with GET RESPONSE and 6Cxx with a resend (ISO/IEC 7816-4 §5.3)."""
        data, sw1, sw2 = self.send(apdu)
        if sw1 == 0x6C:
            data, sw1, sw2 = self.send(apdu[:-1] + [sw2])
        collected = list(data)
        for _ in range(32):
            if sw1 != 0x61:
                break
            data, sw1, sw2 = self.send([0x00, 0xC0, 0x00, 0x00, sw2])
            collected += data
        return bytes(collected), (sw1 << 8) | sw2

    def send(self, apdu):
        self.commands += 1
        return self.connection.transmit(list(apdu))


def select(card, name):
    fci, sw = card.transmit([0x00, 0xA4, 0x04, 0x00, len(name)] + list(name) + [0x00])
    return fci, sw


def candidates_from_directory(card, fci, contactless):
    items = parse_tlv(fci)
    if contactless:  # PPSE: the directory is in the FCI (BF0C → 61 entries)
        return [find(c, 0x4F) for t, v, c in parse_tlv(find(items, 0xBF0C) or b"") if t == 0x61]
    sfi = find(items, 0x88)
    if sfi is None:
        raise Failure("the PSE FCI has no SFI (88)")
    aids = []
    for number in range(1, 17):
        record, sw = card.transmit([0x00, 0xB2, number, (sfi[0] << 3) | 4, 0x00])
        if sw == 0x6A83:
            break
        if sw != 0x9000:
            raise Failure(f"READ RECORD {number} of the PSE directory: {sw:04X}")
        aids += [find(c, 0x4F) for t, v, c in parse_tlv(record)[0][2] if t == 0x61]
    return aids


def run(args):
    card = Card(args.reader)
    out = {"atr": bytes(card.connection.getATR()).hex().upper(), "protocol": card.connection.getProtocol()}

    if args.aid:
        aid = bytes.fromhex(args.aid)
    else:
        name = b"2PAY.SYS.DDF01" if args.ppse else b"1PAY.SYS.DDF01"
        fci, sw = select(card, name)
        if sw != 0x9000:
            raise Failure(f"SELECT {name.decode()}: {sw:04X}")
        aids = candidates_from_directory(card, fci, args.ppse)
        if not aids:
            raise Failure(f"{name.decode()} lists no application")
        out["directory"] = [a.hex().upper() for a in aids]
        aid = aids[0]

    fci, sw = select(card, aid)
    if sw != 0x9000:
        raise Failure(f"SELECT {aid.hex().upper()}: {sw:04X}")
    fci_items = parse_tlv(fci)
    if not fci_items or fci_items[0][0] != 0x6F:
        raise Failure("the application's FCI is not a 6F template")
    out["aid"] = (find(fci_items, 0x84) or b"").hex().upper()
    label = find(fci_items, 0x50)
    out["label"] = label.decode("ascii", "replace") if label else None

    pdol = find(fci_items, 0x9F38) or b""
    pdol_data = b"".join((TERMINAL.get(tag, b"") + bytes(length))[:length] for tag, length in parse_dol(pdol))
    command = bytes([0x83, len(pdol_data)]) + pdol_data
    gpo, sw = card.transmit([0x80, 0xA8, 0x00, 0x00, len(command)] + list(command) + [0x00])
    if sw != 0x9000:
        raise Failure(f"GET PROCESSING OPTIONS: {sw:04X}")
    gpo_items = parse_tlv(gpo)
    if gpo_items[0][0] == 0x80:  # format 1: AIP ‖ AFL
        aip, afl = gpo_items[0][1][:2], gpo_items[0][1][2:]
    elif gpo_items[0][0] == 0x77:  # format 2
        aip, afl = find(gpo_items, 0x82), find(gpo_items, 0x94) or b""
    else:
        raise Failure(f"GPO answered template {gpo_items[0][0]:X}, neither 80 nor 77")
    if aip is None or len(afl) % 4:
        raise Failure("GPO response: AIP missing or AFL not a multiple of 4 bytes")
    out["aip"] = aip.hex().upper()
    out["afl"] = afl.hex().upper()
    out["gpoTags"] = sorted(f"{t:X}" for t, _, _ in (gpo_items[0][2] or []))

    records, tags = [], {}
    for i in range(0, len(afl), 4):
        sfi, first, last = afl[i] >> 3, afl[i + 1], afl[i + 2]
        for number in range(first, last + 1):
            record, sw = card.transmit([0x00, 0xB2, number, (sfi << 3) | 4, 0x00])
            if sw != 0x9000:
                raise Failure(f"READ RECORD SFI {sfi} record {number}: {sw:04X}")
            items = parse_tlv(record)
            if len(items) != 1 or items[0][0] != 0x70:
                raise Failure(f"SFI {sfi} record {number} is not one 70 template")
            names = []
            for tag, value, _ in items[0][2]:
                names.append(f"{tag:X}")
                tags[tag] = value
            records.append({"sfi": sfi, "record": number, "tags": names})
    out["records"] = records
    for tag, key in ((0x5A, "pan"), (0x5F24, "expiry"), (0x8C, "cdol1")):
        value = tags.get(tag, find(gpo_items, tag))
        out[key] = value.hex().upper() if value else None
    out["commands"] = card.commands
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reader", required=True)
    parser.add_argument("--aid")
    parser.add_argument("--ppse", action="store_true", help="select from the PPSE (contactless) instead of the PSE")
    args = parser.parse_args()
    try:
        print(json.dumps(run(args), indent=2))
    except Exception as e:  # one line and exit 1, whatever failed (pyscard raises its own types)
        print(f"pboc_read.py: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
