"""Optional matplotlib figures (install the ``plot`` extra).

Importing this module needs matplotlib; nothing else in ``numeric`` or ``symdiff`` does.
"""
