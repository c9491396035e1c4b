/// `report.html`: one self-contained page with the summary table, the notes, every plot
/// (inlined SVG) and the variants' setups, linking the CSV files beside it.
enum HTMLReport {
    static func page(_ summary: ExperimentSummary, plots: [ExperimentPlots.Plot]) -> String {
        let manifest = summary.manifest
        let table = SummaryTables.display(summary)
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(escaped(manifest.name)) — WeightLab experiment</title>
            <style>
            body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; padding: 0 1em; }
            table { border-collapse: collapse; margin: 1em 0; font-size: 0.92em; }
            th, td { border-bottom: 1px solid #ddd; padding: 0.35em 0.7em; text-align: left; vertical-align: top; }
            th { background: #f4f4f4; }
            td.best { font-weight: bold; }
            blockquote { border-left: 4px solid #0072B2; margin: 1em 0; padding: 0.3em 1em; background: #f7fbff; }
            .plot { margin: 1.5em 0; }
            .notes { color: #555; font-size: 0.9em; }
            </style>
            </head>
            <body>
            <h1>\(escaped(manifest.name))\(manifest.quick ? " (quick mode)" : "")</h1>

            """
        if let description = manifest.description { html += "<p>\(escaped(description))</p>\n" }
        if let survey = manifest.survey { html += "<blockquote><strong>The survey's claim:</strong> \(escaped(survey))</blockquote>\n" }
        html += "<table>\n<tr>" + table.header.map { "<th>\(escaped($0))</th>" }.joined() + "</tr>\n"
        for row in table.rows {
            html += "<tr>" + row.map { "<td\($0.best ? " class=\"best\"" : "")>\(escaped($0.text))</td>" }.joined() + "</tr>\n"
        }
        html += "</table>\n<p class=\"notes\">\(escaped(SummaryTables.notes(summary)))</p>\n"
        html += "<p>Data: <a href=\"runs.csv\">runs.csv</a> (every trace point), <a href=\"summary.csv\">summary.csv</a>, <a href=\"summary.md\">summary.md</a>.</p>\n"
        for plot in plots {
            let svg = plot.svg.split(separator: "\n", omittingEmptySubsequences: false).drop { $0.hasPrefix("<?xml") }.joined(separator: "\n")
            html += "<div class=\"plot\">\n\(svg)</div>\n"
        }
        html += "<h2>Variants</h2>\n<ul>\n"
        for entry in manifest.variants {
            let data = summary.row(entry.name)?.data.joined(separator: "; ") ?? ""
            html += "<li><strong>\(escaped(entry.name))</strong>: \(escaped(entry.setup))\(data.isEmpty ? "" : " (data: \(escaped(data)))")</li>\n"
        }
        html += "</ul>\n<p class=\"notes\">Spec: \(escaped(manifest.specFile)); seeds \(manifest.seeds.map(String.init).joined(separator: ", ")).</p>\n</body>\n</html>\n"
        return html
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
