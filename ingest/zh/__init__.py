"""Rules about Chinese text shared by ingest, the answerers and the verifier: one home
for each pattern (leaf modules: they import nothing of govqa but each other)."""
