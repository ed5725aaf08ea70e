"""Resident memory of this process, now and at its peak since a reset (Linux /proc)."""

from __future__ import annotations


def rss_mb(field: str = "VmRSS") -> float:
    """Resident memory now (``VmRSS``) or at its peak since the last reset (``VmHWM``)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> None:
    """Start the peak-RSS count afresh (Linux: ``5`` in clear_refs), so that loading the
    vector cache does not count as the step's peak."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
