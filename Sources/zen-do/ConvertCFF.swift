import Foundation
import ZenDo

extension ZenDoCommand.Convert {
  /// For a CITATION.cff input or `--to cff`: the direction (by the TOML side) and the default
  /// output beside the input; nil for the `.zenodo.json` ⇄ `.zenodo.toml` conversions.
  var cffTarget: (direction: ConversionDirection, defaultOutput: String)? {
    let folder = (file as NSString).deletingLastPathComponent
    let beside = { (name: String) in folder.isEmpty ? name : folder + "/" + name }
    if CFFConverter.isCFF(fileName: file) { return (.jsonToTOML, beside(".zenodo.toml")) }
    if to == "cff" { return (.tomlToJSON, beside("CITATION.cff")) }
    return nil
  }

  /// Converts CITATION.cff → .zenodo.toml, or .zenodo.toml → CITATION.cff with `--to cff`.
  func convertCFF(_ bytes: [UInt8], file input: URL) throws(CFFConvertError) -> ConvertedFile {
    let converter = CFFConverter(zenodo: ZenodoJSONConverter())
    return try CFFConverter.isCFF(fileName: file)
      ? converter.convertCFF(bytes, file: input, urn: urn)
      : converter.convertToCFF(bytes, file: input)
  }
}
