//! The JSON Schema of the scenario format, for editors and validators.

/// JSON Schema (draft 2020-12) of scenario format version 1.
pub const SCENARIO_SCHEMA: &str = include_str!("scenario/schema.json");

#[cfg(test)]
mod tests {
    use super::SCENARIO_SCHEMA;
    use crate::scenario::decode::*;
    use serde_json::Value;

    fn keys(v: &Value) -> Vec<String> {
        v["properties"].as_object().expect("properties").keys().cloned().collect()
    }

    /// The schema and the decoder must accept exactly the same field names.
    #[test]
    fn schema_fields_match_decoder() {
        let schema: Value = serde_json::from_str(SCENARIO_SCHEMA).expect("schema is JSON");
        let defs = &schema["$defs"];
        let cases: [(&Value, &[&str]); 14] = [
            (&schema, SCENARIO_FIELDS),
            (&defs["issue"], ISSUE_FIELDS),
            (&defs["actor"], ACTOR_FIELDS),
            (&defs["stance"], STANCE_FIELDS),
            (&defs["constraint"], CONSTRAINT_FIELDS),
            (&defs["belief"], BELIEF_FIELDS),
            (&defs["rectangle"], RECTANGLE_FIELDS),
            (&defs["uncertain"], UNCERTAIN_FIELDS),
            (&defs["interaction"], INTERACTION_FIELDS),
            (&defs["plan"], PLAN_FIELDS),
            (&defs["type"], TYPE_FIELDS),
            (&defs["pressure"], PRESSURE_FIELDS),
            (&defs["statement"], STATEMENT_FIELDS),
            (&defs["event"], EVENT_FIELDS),
        ];
        for (def, fields) in cases {
            let mut a = keys(def);
            let mut b: Vec<String> = fields.iter().map(|s| s.to_string()).collect();
            a.sort();
            b.sort();
            assert_eq!(a, b);
        }
        let shapes: Vec<&str> = defs["stance"]["properties"]["shape"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(shapes, SHAPES);
    }
}
