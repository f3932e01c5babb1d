/**
 * SQL for "this person and every person currently merged into it" (however long the chain of
 * merges), from the person moves recorded by the merge consumer. `$dept` and `$person` are
 * placeholders of the caller's query. Plans and preferences are read through it, so a merge
 * makes them apply to the surviving person and an unmerge takes them back, without copying.
 */
export function personAndAliasesSql(dept: string, person: string): string {
  return `WITH RECURSIVE aliases(person_id) AS (
      SELECT ${person}::text
      UNION
      SELECT m.record_id FROM person_move m JOIN aliases a ON m.to_person_id = a.person_id
       WHERE m.department_id = ${dept} AND m.record_type = 'person' AND m.undone_at IS NULL)
    SELECT person_id FROM aliases`;
}

/**
 * SQL for "this person and every person it is currently merged into" (the chain upwards):
 * the persons whose effective preference or plan a change to this person's affects.
 */
export function personAndSurvivorsSql(dept: string, person: string): string {
  return `WITH RECURSIVE survivors(person_id) AS (
      SELECT ${person}::text
      UNION
      SELECT m.to_person_id FROM person_move m JOIN survivors s ON m.record_id = s.person_id
       WHERE m.department_id = ${dept} AND m.record_type = 'person' AND m.undone_at IS NULL)
    SELECT person_id FROM survivors`;
}
