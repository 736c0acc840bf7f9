import { describe, expect, it } from "vitest";
import { rejectReason } from "./guard.ts";

describe("rejectReason", () => {
  it("lets known tables through and names the known ones for an unknown table", () => {
    expect(rejectReason("count_rows", { table: "companies" })).toBeNull();
    expect(rejectReason("inspect_schema", { table: "product_intel_runs" })).toBeNull();
    expect(rejectReason("inspect_schema", { table: "users" })).toMatch(/^unknown table "users"; known tables: companies, contacts/);
    // Identifiers are quoted by the helper, so case matters: "Companies" is a different relation.
    expect(rejectReason("count_rows", { table: "Companies" })).toMatch(/unknown table/);
  });

  it("asks for a table name when it is missing or not a string", () => {
    expect(rejectReason("count_rows", {})).toMatch(/needs \{"table"/);
    expect(rejectReason("count_rows", { table: 42 })).toMatch(/needs \{"table"/);
  });

  it("passes read-only SELECTs, including unknown relations, to the database", () => {
    expect(rejectReason("query_db", { sql: "SELECT count(*) FROM companies" })).toBeNull();
    expect(rejectReason("query_db", { sql: "  with t as (select 1) select * from t" })).toBeNull();
    expect(rejectReason("query_db", { sql: "SELECT count(*) FROM nonexistent" })).toBeNull();
    expect(rejectReason("query_db", { sql: "SELECT created_at FROM contacts;" })).toBeNull();
  });

  it("refuses writes, multiple statements and missing sql", () => {
    expect(rejectReason("query_db", { sql: "DELETE FROM contacts" })).toMatch(/read-only/);
    expect(rejectReason("query_db", { sql: "WITH d AS (DELETE FROM contacts RETURNING id) SELECT * FROM d" })).toMatch(/write keyword/);
    expect(rejectReason("query_db", { sql: "SELECT 1; DROP TABLE companies" })).toMatch(/read-only|one statement/);
    expect(rejectReason("query_db", { sql: "SELECT 1; SELECT 2" })).toMatch(/one statement/);
    expect(rejectReason("query_db", {})).toMatch(/needs \{"sql"/);
  });

  it("leaves unknown tools to the loop", () => {
    expect(rejectReason("drop_table", { table: "users" })).toBeNull();
  });
});
