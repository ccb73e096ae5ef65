#include "object-storage/proxy/s3_xml.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace gureum::object::proxy {

std::string XmlEscape(const std::string& s) {
  return absl::StrReplaceAll(
      s, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}, {"'", "&apos;"}});
}

std::string XmlUnescape(const std::string& s) {
  return absl::StrReplaceAll(s, {{"&lt;", "<"},
                                 {"&gt;", ">"},
                                 {"&quot;", "\""},
                                 {"&apos;", "'"},
                                 {"&#34;", "\""},
                                 {"&amp;", "&"}});
}

std::string XmlDocument(const std::string& root, const std::string& inner) {
  return absl::StrCat("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<", root,
                      " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">", inner, "</", root,
                      ">");
}

std::string XmlElement(const std::string& name, const std::string& value) {
  return absl::StrCat("<", name, ">", XmlEscape(value), "</", name, ">");
}

std::vector<std::string> XmlElements(const std::string& xml, const std::string& tag) {
  std::vector<std::string> out;
  const std::string open = "<" + tag, close = "</" + tag + ">";
  size_t at = 0;
  while ((at = xml.find(open, at)) != std::string::npos) {
    const size_t after = at + open.size();
    if (after >= xml.size() || (xml[after] != '>' && xml[after] != ' ')) {
      at = after;  // <PartNumber> when looking for <Part>
      continue;
    }
    const size_t start = xml.find('>', after);
    if (start == std::string::npos) break;
    if (xml[start - 1] == '/') {  // <Tag/>
      out.emplace_back();
      at = start + 1;
      continue;
    }
    const size_t end = xml.find(close, start + 1);
    if (end == std::string::npos) break;
    out.push_back(XmlUnescape(xml.substr(start + 1, end - start - 1)));
    at = end + close.size();
  }
  return out;
}

void S3ErrorAnswer(http::Response& res, int status, const std::string& code,
                   const std::string& message, const std::string& resource, bool head) {
  res.status = status;
  res.content_type = "application/xml";
  res.body = head ? std::string()
                  : absl::StrCat("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>",
                                 XmlElement("Code", code), XmlElement("Message", message),
                                 XmlElement("Resource", resource), "</Error>");
}

}  // namespace gureum::object::proxy
