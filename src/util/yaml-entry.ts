// Entry of the separate yaml bundle (dist/yaml.cjs): only commands that read or write YAML load it.
export { parse, parseAllDocuments, stringify, Document, LineCounter, isMap, isSeq, isScalar, visit } from 'yaml';
