-- Passive inventory and ENISA posture per device (issue 6): the OUI vendor and the device class
-- as columns (filters and the dashboard's table), and the whole inventory record (class
-- evidence, MUD URL, observations, posture checks) as the JSON devices.ndjson carries.
ALTER TABLE devices ADD COLUMN vendor VARCHAR(256);
ALTER TABLE devices ADD COLUMN device_class VARCHAR(16) DEFAULT 'unknown' NOT NULL;
ALTER TABLE devices ADD COLUMN inventory VARCHAR DEFAULT '{}' NOT NULL;
