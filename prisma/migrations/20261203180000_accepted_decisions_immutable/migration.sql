-- An accepted decision is immutable (ADR 024). The app enforces it in
-- app/models/projects/decisions.server.ts; this trigger makes it hold for every writer.
-- Allowed on an accepted row: accepted -> superseded (a newer decision was accepted), and the
-- foreign keys Postgres sets to NULL when a member, an activity or an interface is deleted.
-- A superseded row changes no more. Deleting a row (only by cascade from its project or
-- organisation) is not refused, so projects and organisations can still be deleted.
-- Triggers are invisible to Prisma's schema: `migrate diff` reports no drift for them.
CREATE OR REPLACE FUNCTION "decision_keep_accepted"() RETURNS trigger AS $$
BEGIN
  IF OLD."status" IN ('accepted', 'superseded') THEN
    IF NEW."title" IS DISTINCT FROM OLD."title"
      OR NEW."decision" IS DISTINCT FROM OLD."decision"
      OR NEW."rationale" IS DISTINCT FROM OLD."rationale"
      OR NEW."alternatives" IS DISTINCT FROM OLD."alternatives"
      OR NEW."decidedOn" IS DISTINCT FROM OLD."decidedOn"
      OR NEW."number" IS DISTINCT FROM OLD."number"
      OR NEW."projectId" IS DISTINCT FROM OLD."projectId"
      OR NEW."organizationId" IS DISTINCT FROM OLD."organizationId"
      OR NEW."supersedesId" IS DISTINCT FROM OLD."supersedesId"
      OR NEW."acceptedAt" IS DISTINCT FROM OLD."acceptedAt"
      OR (NEW."ownerId" IS DISTINCT FROM OLD."ownerId" AND NEW."ownerId" IS NOT NULL)
      OR (NEW."activityId" IS DISTINCT FROM OLD."activityId" AND NEW."activityId" IS NOT NULL)
      OR (NEW."interfaceId" IS DISTINCT FROM OLD."interfaceId" AND NEW."interfaceId" IS NOT NULL)
      OR (NEW."acceptedById" IS DISTINCT FROM OLD."acceptedById" AND NEW."acceptedById" IS NOT NULL)
      OR (NEW."createdById" IS DISTINCT FROM OLD."createdById" AND NEW."createdById" IS NOT NULL)
      OR (NEW."status" IS DISTINCT FROM OLD."status" AND NOT (OLD."status" = 'accepted' AND NEW."status" = 'superseded'))
    THEN
      RAISE EXCEPTION 'decision % is %: an accepted decision is immutable (supersede it instead)', OLD."id", OLD."status"
        USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "ProjectDecision_keep_accepted"
  BEFORE UPDATE ON "ProjectDecision"
  FOR EACH ROW EXECUTE FUNCTION "decision_keep_accepted"();
