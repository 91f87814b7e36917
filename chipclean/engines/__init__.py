"""Engines that run a cleaning job somewhere other than local processes."""
