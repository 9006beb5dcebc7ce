-- The tenant of an incident is checked once per statement by the incidents_state_* triggers
-- (their tenant_state row references tenants), not once per row: imports write incidents by
-- the million, and the per-row check cost a third of the COPY that stores them.
ALTER TABLE "incidents" DROP CONSTRAINT "incidents_tenant_id_tenants_id_fk";
