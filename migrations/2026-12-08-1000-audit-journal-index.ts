import { type Kysely, sql } from 'kysely';

// Frozen in time: never import from src/.

/**
 * The case page shows the newest ten views and the newest ten other accesses of a case, and how
 * many entries its journal holds. It took 2.7 ms for a case viewed a few thousand times and grew
 * with every view, since counting walks every entry (npm run bench). With the action in the
 * index, each kind's newest entries are read straight down it; the count is kept per record by
 * triggers, so the page costs the same for any case. The new index replaces the one on
 * (entity_type, entity_id), which SQLite would otherwise walk in id order for the case's other
 * accesses, reading every view on the way; the full journal page now sorts a case's entries.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('audit_log_entity_action_idx').on('audit_log').columns(['entity_type', 'entity_id', 'action']).execute();
  await db.schema.dropIndex('audit_log_entity_idx').execute();
  await sql`create table audit_entity_counts (
    entity_type text not null,
    entity_id text not null,
    entries integer not null,
    primary key (entity_type, entity_id)
  ) without rowid`.execute(db);
  await sql`insert into audit_entity_counts (entity_type, entity_id, entries)
    select entity_type, entity_id, count(*) from audit_log where entity_id is not null group by entity_type, entity_id`.execute(db);
  await sql`create trigger audit_log_counted after insert on audit_log when new.entity_id is not null begin
    insert into audit_entity_counts (entity_type, entity_id, entries) values (new.entity_type, new.entity_id, 1)
      on conflict (entity_type, entity_id) do update set entries = entries + 1;
  end`.execute(db);
  // Retention and purges delete entries: the count follows, and a record left with none has no row.
  await sql`create trigger audit_log_uncounted after delete on audit_log when old.entity_id is not null begin
    update audit_entity_counts set entries = entries - 1 where entity_type = old.entity_type and entity_id = old.entity_id;
    delete from audit_entity_counts where entity_type = old.entity_type and entity_id = old.entity_id and entries <= 0;
  end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger audit_log_uncounted`.execute(db);
  await sql`drop trigger audit_log_counted`.execute(db);
  await db.schema.dropTable('audit_entity_counts').execute();
  await db.schema.createIndex('audit_log_entity_idx').on('audit_log').columns(['entity_type', 'entity_id']).execute();
  await db.schema.dropIndex('audit_log_entity_action_idx').execute();
}
