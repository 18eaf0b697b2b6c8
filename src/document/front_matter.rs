//! Front matter: YAML (`---`), TOML (`+++`) and JSON (`{`) blocks at the top of a post.
