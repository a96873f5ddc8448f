#!/usr/bin/env python3
"""Prints a PNG's size and how much of it is drawn, as JSON, with only the standard
library: width, height, the number of distinct colours, and the share of pixels that
differ from the top-left (background) pixel. Used to check that Chromium drew the email."""
import json
import struct
import sys
import zlib


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def decode(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    assert depth == 8 and colour in (2, 6), "only 8-bit RGB/RGBA PNGs"
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], (prev[x - bpp] if x >= bpp else 0)
            line[x] = (line[x] + (0, a, b, (a + b) // 2, paeth(a, b, c))[kind]) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


width, height, bpp, rows = decode(sys.argv[1])
background = rows[0][:3]
colours, drawn = set(), 0
for row in rows[::2]:
    for x in range(0, len(row), bpp * 2):
        pixel = row[x:x + 3]
        colours.add(pixel)
        drawn += pixel != background
sampled = ((height + 1) // 2) * ((width + 1) // 2)
# Content cut off at the right edge shows as drawn pixels in the last column.
right_edge = sum(row[(width - 1) * bpp:(width - 1) * bpp + 3] == background for row in rows) / height
print(json.dumps({"width": width, "height": height, "colours": len(colours), "drawn": drawn / sampled,
                  "rightEdgeBackground": right_edge}))
