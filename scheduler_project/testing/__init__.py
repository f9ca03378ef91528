"""What the tests and the benchmarks share, as ``django.test`` sits inside Django: servers of
one's own on spare ports (``servers``) and the factories of rows and sealed withdrawals
(``factories``).

Both ``tests`` and ``bench`` import it, neither imports the other. The service never
imports it: it needs requirements-dev.txt (factory_boy), which a production image leaves
out.
"""
