#!/usr/bin/env python3
"""Branin-Hoo as a command objective: prints its value as the last line of output."""
import math
import sys

x, y = float(sys.argv[1]), float(sys.argv[2])
a, b, c = 1.0, 5.1 / (4 * math.pi ** 2), 5 / math.pi
r, s, t = 6.0, 10.0, 1 / (8 * math.pi)
print(a * (y - b * x ** 2 + c * x - r) ** 2 + s * (1 - t) * math.cos(x) + s)
