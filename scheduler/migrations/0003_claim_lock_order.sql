-- Claims on one provider queue on its row before they touch its inventories. Without it,
-- concurrent claims locked a provider's inventory rows in the order their UPDATE happened
-- to scan them, which changes as the rows get new versions: two claims could take
-- VCPU and MEMORY_MB in opposite orders and deadlock (PostgreSQL resolves that after
-- deadlock_timeout by failing one; seen 97 times in one test run). Every statement that
-- changes inventories.used now locks the providers concerned first, in id order, after
-- the consumer's row (pg_placement_store.cc: LockProviders). NO KEY UPDATE: foreign-key
-- checks of new allocation rows (KEY SHARE) do not wait for it.
CREATE OR REPLACE FUNCTION placement_claim_fresh(p_provider text, p_classes text[], p_amounts bigint[],
                                      p_consumer text, p_project text, p_user text,
                                      p_key text)
RETURNS TABLE (provider_id bigint, provider_name text, fresh boolean, claimed integer)
LANGUAGE plpgsql AS $$
DECLARE
  pid bigint;
  pname text;
  n integer;
BEGIN
  SELECT rp.id, rp.name INTO pid, pname FROM resource_providers rp WHERE rp.uuid = p_provider;
  IF pid IS NULL THEN
    RETURN;
  END IF;
  INSERT INTO consumers (uuid, project_id, user_id, claim_key)
  VALUES (p_consumer, p_project, p_user, p_key) ON CONFLICT (uuid) DO NOTHING;
  IF NOT FOUND THEN
    RETURN QUERY SELECT pid, pname, false, 0;
    RETURN;
  END IF;
  -- Only now: a known consumer goes on to the general path, which locks every provider
  -- it concerns in id order; holding this one already would break that order.
  PERFORM 1 FROM resource_providers rp WHERE rp.id = pid FOR NO KEY UPDATE;
  UPDATE inventories i SET used = i.used + r.amount
  FROM unnest(p_classes, p_amounts) AS r(rc, amount)
  WHERE i.provider_id = pid AND i.resource_class = r.rc
    AND i.used + r.amount <= floor((i.total - i.reserved) * i.allocation_ratio)
    AND r.amount >= i.min_unit AND r.amount <= i.max_unit AND r.amount % i.step_size = 0;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n = cardinality(p_classes) THEN
    INSERT INTO allocations (consumer_uuid, provider_id, resource_class, used)
    SELECT p_consumer, pid, r.rc, r.amount FROM unnest(p_classes, p_amounts) AS r(rc, amount);
  END IF;
  RETURN QUERY SELECT pid, pname, true, n;
END
$$;
