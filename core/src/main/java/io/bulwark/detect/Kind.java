package io.bulwark.detect;

/** Incident kinds of the incidents.ndjson contract (docs/architecture.md). */
public enum Kind { scan, bruteforce, infection, c2, ddos, ddos_target, anomaly, ioc, policy }
