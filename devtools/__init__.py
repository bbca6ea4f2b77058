"""Development and benchmark tooling, outside the production package.

``python -m devtools seed-demo`` adds the demo users and progress (``make run``);
``python -m devtools synth ...`` builds a synthetic province for the benchmarks. This package imports
``tracker``; ``tracker`` never imports it, and the wheel does not ship it (pyproject's packages.find
includes only ``tracker*``).
"""
