-- Nova's quota classes (os-quota-class-sets): limits per class and resource. Only the
-- class "default" is used: its limits replace [quota]'s defaults; a project's own limits
-- (quotas) come over them.
CREATE TABLE quota_classes (
  class_name  text NOT NULL,
  resource    text NOT NULL,
  hard_limit  bigint NOT NULL,
  PRIMARY KEY (class_name, resource)
);
