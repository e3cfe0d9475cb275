#!/usr/bin/env python3
"""The peer in the matching benchmark: Splink (DuckDB backend) on the same files as
`server match-registry`, writing the same list (record_id,registry_id,score,decision).

Given what our engine is given: names folded the same way (no diacritics, đ/Ð as d, y as i),
IDs with separators dropped and lost zeros restored, 2021 wards read as their 2025 successor.
Comparisons: ID (exact, one edit), full name (Jaro-Winkler levels, term frequencies), birth date
(exact, one edit, year), gender, commune, phone; trained as Splink's tutorials do (prior from
deterministic rules, u by random sampling, m by EM). A record's best pair is `match` at a match
probability of 0.99 or more, `review` from 0.5.

usage: bench-splink.py RECORDS.csv REGISTRY.csv SUCCESSORS.csv OUT.csv"""
import sys
import time

import duckdb
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

records, registry, successors, out = sys.argv[1:5]
started = time.time()
con = duckdb.connect()
con.execute(f"CREATE TABLE succ AS SELECT ward_code_2021 AS old, min(ward_code_2025) AS new FROM read_csv('{successors}', header=true, all_varchar=true) GROUP BY 1")


def prepare(path, table, map_communes):
    commune = "coalesce(s.new, r.commune)" if map_communes else "r.commune"
    con.execute(f"""
        CREATE TABLE {table} AS
        WITH raw AS (
            SELECT *, regexp_replace(coalesce(national_id, ''), '[^0-9]', '', 'g') AS d,
                   trim(regexp_replace(replace(lower(strip_accents(replace(replace(replace(full_name, 'Đ', 'D'), 'đ', 'd'), 'Ð', 'D'))), 'y', 'i'),
                                       '\\s+', ' ', 'g')) AS folded
            FROM read_csv('{path}', header=true, all_varchar=true)
        )
        SELECT r.id AS unique_id,
               CASE WHEN length(d) IN (10, 11) THEN lpad(d, 12, '0') WHEN length(d) = 8 THEN lpad(d, 9, '0')
                    WHEN d = '' THEN NULL ELSE d END AS nid,
               folded AS name,
               split_part(folded, ' ', -1) AS given,
               CASE WHEN length(birth_date) = 10 THEN birth_date END AS dob,
               CASE WHEN length(birth_date) = 10 THEN substr(birth_date, 6, 5) END AS day_month,
               substr(birth_date, 1, 4) AS birth_year,
               gender,
               {commune} AS commune,
               nullif(right(regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g'), 9), '') AS phone
        FROM raw r LEFT JOIN succ s ON s.old = r.commune
    """)


prepare(records, "records", True)
prepare(registry, "registry", False)
prepared = time.time()

db_api = DuckDBAPI(connection=con)
settings = SettingsCreator(
    link_type="link_only",
    comparisons=[
        cl.DamerauLevenshteinAtThresholds("nid", [1]),
        cl.NameComparison("name").configure(term_frequency_adjustments=True),
        cl.CustomComparison(
            output_column_name="birth",
            comparison_levels=[
                cll.NullLevel("birth_year"),
                cll.ExactMatchLevel("dob"),
                cll.DamerauLevenshteinLevel("dob", 1),
                cll.ExactMatchLevel("birth_year"),
                cll.ElseLevel(),
            ],
        ),
        cl.ExactMatch("gender"),
        cl.ExactMatch("commune"),
        cl.ExactMatch("phone"),
    ],
    blocking_rules_to_generate_predictions=[
        block_on("nid"),
        block_on("name", "birth_year"),
        block_on("dob", "gender", "commune"),
        block_on("phone"),
        block_on("given", "dob"),
        block_on("name", "day_month"),
    ],
    retain_matching_columns=False,
)
linker = Linker([db_api.register("records"), db_api.register("registry")], settings, log_level=40)
linker.training.estimate_probability_two_random_records_match([block_on("nid", "name"), block_on("name", "dob", "commune")], recall=0.8)
linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
linker.training.estimate_parameters_using_expectation_maximisation(block_on("name", "birth_year"))
linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob", "commune"))
trained = time.time()

pairs = linker.inference.predict(threshold_match_probability=0.5)
con.execute(f"""
    COPY (
        WITH p AS (
            SELECT CASE WHEN r.unique_id IS NOT NULL THEN unique_id_l ELSE unique_id_r END AS record_id,
                   CASE WHEN r.unique_id IS NOT NULL THEN unique_id_r ELSE unique_id_l END AS registry_id,
                   match_weight, match_probability
            FROM {pairs.physical_name} x LEFT JOIN records r ON r.unique_id = x.unique_id_l
        ), best AS (
            SELECT *, row_number() OVER (PARTITION BY record_id ORDER BY match_probability DESC, match_weight DESC) AS k FROM p
        )
        SELECT record_id, registry_id, round(match_weight, 2) AS score,
               CASE WHEN match_probability >= 0.99 THEN 'match' ELSE 'review' END AS decision
        FROM best WHERE k = 1 ORDER BY record_id
    ) TO '{out}' (HEADER, DELIMITER ',')
""")
done = time.time()
print(f"splink: prepared {prepared - started:.1f} s, trained {trained - prepared:.1f} s, predicted {done - trained:.1f} s, total {done - started:.1f} s")
