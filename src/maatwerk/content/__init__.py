"""Clinical knowledge as versioned, validated data files with sources and licences."""
