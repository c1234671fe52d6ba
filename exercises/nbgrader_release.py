"""What a student release must not carry and nbgrader's generate_assignment keeps on its own: the
nbval markers of the solution notebooks (`# NBVAL_CHECK_OUTPUT` lines, nbval-* tags: the outputs
they compare are the solution's), the solution's stored widget state and its execution timestamps.

notebooks/exercises/nbgrader_config.py puts this preprocessor into generate_assignment right after
nbgrader's ClearOutput, before the checksums and the gradebook's copy of each cell are made (so
autograde restores the test cells without the markers). The `raises-exception` tag stays: it lets
*Run All* go on past a test cell that fails.
"""
from nbgrader.preprocessors import NbGraderPreprocessor

NBVAL_COMMENTS = ("# NBVAL_CHECK_OUTPUT", "# NBVAL_IGNORE_OUTPUT", "# NBVAL_SKIP", "# NBVAL_RAISES_EXCEPTION")


class ClearTestMarkersAndWidgetState(NbGraderPreprocessor):
    """Drop nbval markers, stored widget state and execution timestamps from every cell."""

    def preprocess(self, nb, resources):
        nb.metadata.pop("widgets", None)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        cell.source = "\n".join(line for line in cell.source.split("\n") if line.strip() not in NBVAL_COMMENTS)
        tags = [tag for tag in cell.metadata.get("tags", []) if not tag.startswith("nbval-")]
        if tags:
            cell.metadata["tags"] = tags
        else:
            cell.metadata.pop("tags", None)
        cell.metadata.pop("execution", None)
        return cell, resources
