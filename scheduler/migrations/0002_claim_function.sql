-- The common claim (a consumer seen for the first time) as a PL/pgSQL function, so its
-- statements are planned once per connection instead of on every call (planning the
-- equivalent CTE cost more than running it). Returns nothing when the provider does not
-- exist; fresh = false when the consumer exists (the caller takes the general path);
-- claimed < cardinality(classes) when some class has no room: the caller rolls back.
CREATE FUNCTION placement_claim_fresh(p_provider text, p_classes text[], p_amounts bigint[],
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
