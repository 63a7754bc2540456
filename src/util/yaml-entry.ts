// Entry of the separate yaml bundle (dist/yaml.cjs): only commands that read or write YAML load it.
export { parseAllDocuments, stringify, Document, LineCounter, isMap, isSeq, isScalar, visit } from 'yaml';
