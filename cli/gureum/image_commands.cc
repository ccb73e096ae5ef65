// `gureum image create|list|show|set|delete|save` and `gureum image member
// add|remove|list|accept|reject`, over image's gRPC API (proto/image.proto). Data
// streams in 1 MiB messages both ways, in constant memory; `save` checks the size and
// SHA-512 it received against the image record and removes a file that does not match.
//
// The endpoint: --os-image-grpc, else OS_IMAGE_GRPC, else the host of OS_AUTH_URL with
// port 19292 (image's gRPC port, ARCHITECTURE.md).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>

#include <openssl/evp.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/gureum/commands.h"
#include "cli/gureum/resolve.h"
#include "common/status/macros.h"

#include "image.grpc.pb.h"

namespace gureum::cli {
namespace {

namespace imv1 = image::v1;
constexpr int kImageGrpcPort = 19292;
constexpr size_t kPiece = 1 << 20;

const std::vector<std::string> kImageFields = {
    "checksum", "container_format", "created_at",   "disk_format",  "id",
    "min_disk", "min_ram",          "name",         "os_hash_algo", "os_hash_value",
    "owner",    "properties",       "protected",    "size",         "status",
    "tags",     "updated_at",       "virtual_size", "visibility"};

struct ImageArgs {
  std::string endpoint_option;
  std::string name, image, file, disk_format = "raw", container_format = "bare", visibility;
  std::string project, new_name;
  bool is_protected = false, unprotected = false;
  int min_disk = -1, min_ram = -1;
  std::vector<std::string> properties, tags, images;
};

// One image gRPC client per command, carrying the session's token.
class ImageClient {
 public:
  ImageClient(Session& s, const std::string& endpoint)
      : session_(s),
        endpoint_(endpoint),
        stub_(imv1::Images::NewStub(grpcx::MakeChannel(endpoint))) {}

  template <typename Req, typename Resp>
  absl::StatusOr<Resp> Call(grpc::Status (imv1::Images::Stub::*method)(grpc::ClientContext*,
                                                                       const Req&, Resp*),
                            const Req& req) {
    GUREUM_ASSIGN_OR_RETURN(std::string token, session_.Token());
    Resp resp;
    GUREUM_RETURN_IF_ERROR(FromStatus(
        grpcx::CallUnary(*stub_, method, req, &resp, CliCallOptions(token, absl::Seconds(60)))));
    return resp;
  }

  // For the streams (upload, download): one attempt, which fails at once when the API
  // cannot be reached; FromStatus maps how it ended.
  absl::Status Prepare(grpc::ClientContext& ctx, absl::Duration timeout) {
    GUREUM_ASSIGN_OR_RETURN(std::string token, session_.Token());
    grpcx::PrepareContext(ctx, CliCallOptions(token, timeout));
    return absl::OkStatus();
  }
  absl::Status FromStatus(const grpc::Status& s) const {
    return FromCliCall(s, "image", endpoint_, "--os-image-grpc");
  }

  imv1::Images::Stub& stub() { return *stub_; }

  // Name or id -> id, as the openstack CLI resolves.
  absl::StatusOr<std::string> Find(const std::string& value) {
    Resolver r{"image",
               [this](const std::string& id) {
                 imv1::GetImageRequest req;
                 req.set_id(id);
                 return Call(&imv1::Images::Stub::GetImage, req).status();
               },
               [this](const std::string& name) -> absl::StatusOr<std::vector<std::string>> {
                 imv1::ListImagesRequest req;
                 req.set_name(name);
                 GUREUM_ASSIGN_OR_RETURN(auto resp, Call(&imv1::Images::Stub::ListImages, req));
                 std::vector<std::string> ids;
                 for (const auto& i : resp.images()) ids.push_back(i.id());
                 return ids;
               }};
    return ResolveId(r, value);
  }

 private:
  Session& session_;
  std::string endpoint_;
  std::unique_ptr<imv1::Images::Stub> stub_;
};

absl::StatusOr<std::string> ImageEndpoint(const ImageArgs& args, Session& s) {
  if (!args.endpoint_option.empty()) return args.endpoint_option;
  if (const char* env = std::getenv("OS_IMAGE_GRPC"); env != nullptr && *env != '\0') return env;
  GUREUM_ASSIGN_OR_RETURN(std::string identity, IdentityGrpcFromAuthUrl(s.settings().auth_url));
  return absl::StrCat(identity.substr(0, identity.rfind(':')), ":", kImageGrpcPort);
}

json ImageJson(const imv1::Image& i) {
  std::vector<std::string> props;
  for (const auto& [k, v] :
       std::map<std::string, std::string>(i.properties().begin(), i.properties().end())) {
    props.push_back(absl::StrCat(k, "='", v, "'"));
  }
  json size = i.has_data() ? json(i.size()) : json(nullptr);
  json vsize = i.has_data() && i.virtual_size() > 0 ? json(i.virtual_size()) : json(nullptr);
  return {{"id", i.id()},
          {"name", i.name()},
          {"status", i.status()},
          {"disk_format", i.disk_format()},
          {"container_format", i.container_format()},
          {"size", size},
          {"virtual_size", vsize},
          {"checksum", i.checksum()},
          {"os_hash_algo", i.os_hash_algo()},
          {"os_hash_value", i.os_hash_value()},
          {"min_disk", i.min_disk()},
          {"min_ram", i.min_ram()},
          {"visibility", i.visibility()},
          {"protected", i.protected_()},
          {"owner", i.owner()},
          {"tags", absl::StrJoin(i.tags(), ", ")},
          {"properties", absl::StrJoin(props, ", ")},
          {"created_at", i.created_at()},
          {"updated_at", i.updated_at()}};
}

absl::Status ParseProperties(const std::vector<std::string>& in,
                             google::protobuf::Map<std::string, std::string>* out) {
  for (const std::string& kv : in) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return absl::InvalidArgumentError("--property takes key=value, got '" + kv + "'");
    }
    (*out)[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return absl::OkStatus();
}

absl::Status Errno(const std::string& what, const std::string& path) {
  return absl::InvalidArgumentError(absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

// Streams `path` into image `id`.
absl::StatusOr<imv1::Image> UploadFile(ImageClient& c, const std::string& id,
                                       const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open", path);
  grpc::ClientContext ctx;
  if (absl::Status s = c.Prepare(ctx, absl::Hours(24)); !s.ok()) {
    ::close(fd);
    return s;
  }
  imv1::Image done;
  auto writer = c.stub().UploadImage(&ctx, &done);
  imv1::UploadImageRequest msg;
  msg.set_id(id);
  std::string* buf = msg.mutable_data();
  absl::Status read_error;
  for (;;) {
    buf->resize(kPiece);
    ssize_t n = ::read(fd, buf->data(), kPiece);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      read_error = Errno("cannot read", path);
      ctx.TryCancel();
      break;
    }
    if (n == 0) break;
    buf->resize(static_cast<size_t>(n));
    if (!writer->Write(msg)) break;  // the server ended the call; Finish says why
    msg.clear_id();
    buf = msg.mutable_data();
  }
  ::close(fd);
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  GUREUM_RETURN_IF_ERROR(read_error);
  GUREUM_RETURN_IF_ERROR(c.FromStatus(status));
  return done;
}

// Streams image `id` into `path`, checking size and SHA-512 against the record.
absl::Status SaveFile(ImageClient& c, const std::string& id, const std::string& path) {
  imv1::GetImageRequest get;
  get.set_id(id);
  GUREUM_ASSIGN_OR_RETURN(imv1::Image image, c.Call(&imv1::Images::Stub::GetImage, get));
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("cannot create", path);
  grpc::ClientContext ctx;
  GUREUM_RETURN_IF_ERROR(c.Prepare(ctx, absl::Hours(24)));
  imv1::DownloadImageRequest req;
  req.set_id(id);
  auto reader = c.stub().DownloadImage(&ctx, req);
  EVP_MD_CTX* sha = EVP_MD_CTX_new();
  EVP_DigestInit_ex(sha, EVP_sha512(), nullptr);
  imv1::ImageChunk chunk;
  int64_t total = 0;
  absl::Status write_error;
  while (reader->Read(&chunk)) {
    const std::string& d = chunk.data();
    EVP_DigestUpdate(sha, d.data(), d.size());
    total += static_cast<int64_t>(d.size());
    for (size_t off = 0; off < d.size() && write_error.ok();) {
      ssize_t n = ::write(fd, d.data() + off, d.size() - off);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0)
        write_error = Errno("cannot write", path);
      else
        off += static_cast<size_t>(n);
    }
    if (!write_error.ok()) {
      ctx.TryCancel();
      break;
    }
  }
  grpc::Status status = reader->Finish();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(sha, digest, &len);
  EVP_MD_CTX_free(sha);
  bool closed = ::close(fd) == 0;
  absl::Status result = write_error.ok() ? c.FromStatus(status) : write_error;
  if (result.ok() && !closed) result = Errno("cannot close", path);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 15]);
  }
  if (result.ok() && (total != image.size() || hex != image.os_hash_value())) {
    result = absl::DataLossError(absl::StrCat(
        "the downloaded data does not match image ", id, " (", total, " bytes, expected ",
        image.size(), "; sha512 differs: ", hex != image.os_hash_value(), ")"));
  }
  if (!result.ok()) ::unlink(path.c_str());
  return result;
}

// What the image subcommands share: the parsed arguments, the output, and how to reach
// image's gRPC API (made when a command runs).
struct ImageCommand {
  Cli& cli;
  std::shared_ptr<ImageArgs> args;
  std::function<absl::StatusOr<std::unique_ptr<ImageClient>>(Session&)> client;

  // --public, --private, --shared, --community (at most one).
  void VisibilityFlags(CLI::App* cmd) const {
    auto* g = cmd->add_option_group("visibility");
    for (const char* v : {"public", "private", "shared", "community"}) {
      g->add_flag_callback(
          std::string("--") + v, [args = args, v] { args->visibility = v; },
          std::string("Make the image ") + v);
    }
    g->require_option(0, 1);
  }
};

// `image create`
void AddImageCreate(CLI::App& image, const ImageCommand& ic) {
  ImageArgs* args = ic.args.get();
  auto* create = image.add_subcommand("create", "Create an image (and upload --file)");
  create->add_option("name", args->name, "Image name")->required();
  create->add_option("--file", args->file, "Upload this file as the image data");
  create->add_option("--disk-format", args->disk_format,
                     "raw, qcow2, vmdk, vdi, iso, aki, ari, ami");
  create->add_option("--container-format", args->container_format, "bare, ovf, aki, ari, ami");
  create->add_option("--min-disk", args->min_disk, "Minimum disk (GiB)");
  create->add_option("--min-ram", args->min_ram, "Minimum RAM (MiB)");
  create->add_flag("--protected", args->is_protected, "Prevent deletion");
  create->add_option("--property", args->properties, "key=value (repeatable)");
  create->add_option("--tag", args->tags, "Tag (repeatable)");
  ic.VisibilityFlags(create);
  OnRun(create, ic.cli,
        [&cli = ic.cli, args = ic.args, client = ic.client](Session& s) -> absl::Status {
          GUREUM_ASSIGN_OR_RETURN(auto c, client(s));
          imv1::CreateImageRequest req;
          req.set_name(args->name);
          req.set_disk_format(args->disk_format);
          req.set_container_format(args->container_format);
          req.set_visibility(args->visibility);
          req.set_protected_(args->is_protected);
          if (args->min_disk > 0) req.set_min_disk(args->min_disk);
          if (args->min_ram > 0) req.set_min_ram(args->min_ram);
          for (const auto& t : args->tags) req.add_tags(t);
          GUREUM_RETURN_IF_ERROR(ParseProperties(args->properties, req.mutable_properties()));
          GUREUM_ASSIGN_OR_RETURN(imv1::Image made, c->Call(&imv1::Images::Stub::CreateImage, req));
          if (!args->file.empty()) {
            GUREUM_ASSIGN_OR_RETURN(made, UploadFile(*c, made.id(), args->file));
          }
          cli.Show(kImageFields, ImageJson(made));
          return absl::OkStatus();
        });
}

// `image list`
void AddImageList(CLI::App& image, const ImageCommand& ic) {
  ImageArgs* args = ic.args.get();
  auto* list = image.add_subcommand("list", "List images");
  list->add_option("--name", args->name, "Only images with this name");
  ic.VisibilityFlags(list);
  OnRun(list, ic.cli,
        [&cli = ic.cli, args = ic.args, client = ic.client](Session& s) -> absl::Status {
          GUREUM_ASSIGN_OR_RETURN(auto c, client(s));
          std::vector<json> rows;
          imv1::ListImagesRequest req;
          req.set_name(args->name);
          req.set_visibility(args->visibility);
          for (;;) {
            GUREUM_ASSIGN_OR_RETURN(auto resp, c->Call(&imv1::Images::Stub::ListImages, req));
            for (const auto& i : resp.images()) {
              rows.push_back({{"ID", i.id()}, {"Name", i.name()}, {"Status", i.status()}});
            }
            if (resp.next_marker().empty()) break;
            req.set_marker(resp.next_marker());
          }
          cli.List({"ID", "Name", "Status"}, rows);
          return absl::OkStatus();
        });
}

// `image show`
void AddImageShow(CLI::App& image, const ImageCommand& ic) {
  ImageArgs* args = ic.args.get();
  auto* show = image.add_subcommand("show", "Show an image");
  show->add_option("image", args->image, "Image (name or ID)")->required();
  OnRun(show, ic.cli,
        [&cli = ic.cli, args = ic.args, client = ic.client](Session& s) -> absl::Status {
          GUREUM_ASSIGN_OR_RETURN(auto c, client(s));
          imv1::GetImageRequest req;
          GUREUM_ASSIGN_OR_RETURN(*req.mutable_id(), c->Find(args->image));
          GUREUM_ASSIGN_OR_RETURN(auto got, c->Call(&imv1::Images::Stub::GetImage, req));
          cli.Show(kImageFields, ImageJson(got));
          return absl::OkStatus();
        });
}

// `image set`
void AddImageSet(CLI::App& image, const ImageCommand& ic) {
  ImageArgs* args = ic.args.get();
  auto* set = image.add_subcommand("set", "Change an image");
  set->add_option("image", args->image, "Image (name or ID)")->required();
  set->add_option("--name", args->new_name, "New name");
  set->add_option("--min-disk", args->min_disk, "Minimum disk (GiB)");
  set->add_option("--min-ram", args->min_ram, "Minimum RAM (MiB)");
  set->add_flag("--protected", args->is_protected, "Prevent deletion");
  set->add_flag("--unprotected", args->unprotected, "Allow deletion");
  set->add_option("--property", args->properties, "key=value (repeatable)");
  set->add_option("--tag", args->tags, "Add a tag (repeatable)");
  ic.VisibilityFlags(set);
  OnRun(set, ic.cli, [args = ic.args, client = ic.client](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(auto c, client(s));
    imv1::UpdateImageRequest req;
    GUREUM_ASSIGN_OR_RETURN(*req.mutable_id(), c->Find(args->image));
    if (!args->new_name.empty()) {
      req.add_set_fields("name");
      req.set_name(args->new_name);
    }
    if (args->min_disk >= 0) {
      req.add_set_fields("min_disk");
      req.set_min_disk(args->min_disk);
    }
    if (args->min_ram >= 0) {
      req.add_set_fields("min_ram");
      req.set_min_ram(args->min_ram);
    }
    if (args->is_protected || args->unprotected) {
      req.add_set_fields("protected");
      req.set_protected_(args->is_protected);
    }
    if (!args->visibility.empty()) {
      req.add_set_fields("visibility");
      req.set_visibility(args->visibility);
    }
    GUREUM_RETURN_IF_ERROR(ParseProperties(args->properties, req.mutable_set_properties()));
    GUREUM_RETURN_IF_ERROR(c->Call(&imv1::Images::Stub::UpdateImage, req).status());
    for (const std::string& t : args->tags) {
      imv1::TagRequest tag;
      tag.set_image_id(req.id());
      tag.set_tag(t);
      GUREUM_RETURN_IF_ERROR(c->Call(&imv1::Images::Stub::AddTag, tag).status());
    }
    return absl::OkStatus();
  });
}

// `image delete`
void AddImageDelete(CLI::App& image, const ImageCommand& ic) {
  ImageArgs* args = ic.args.get();
  auto* del = image.add_subcommand("delete", "Delete images");
  del->add_option("images", args->images, "Images (names or IDs)")->required();
  OnRun(del, ic.cli, [args = ic.args, client = ic.client](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(auto c, client(s));
    for (const std::string& name : args->images) {
      imv1::DeleteImageRequest req;
      GUREUM_ASSIGN_OR_RETURN(*req.mutable_id(), c->Find(name));
      GUREUM_RETURN_IF_ERROR(c->Call(&imv1::Images::Stub::DeleteImage, req).status());
    }
    return absl::OkStatus();
  });
}

// `image save`
void AddImageSave(CLI::App& image, const ImageCommand& ic) {
  ImageArgs* args = ic.args.get();
  auto* save = image.add_subcommand("save", "Download an image's data to a file");
  save->add_option("image", args->image, "Image (name or ID)")->required();
  save->add_option("--file", args->file, "Where to write the data")->required();
  OnRun(save, ic.cli, [args = ic.args, client = ic.client](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(auto c, client(s));
    GUREUM_ASSIGN_OR_RETURN(std::string id, c->Find(args->image));
    return SaveFile(*c, id, args->file);
  });
}

// `image member add|remove|accept|reject|list`.
void AddImageMembers(CLI::App& image, const ImageCommand& ic) {
  ImageArgs* args = ic.args.get();
  // Members: the owner adds and removes projects; a member project accepts or rejects.
  auto* member =
      image.add_subcommand("member", "Share images with projects")->require_subcommand(1);
  auto member_cmd = [&cli = ic.cli, args = ic.args, client = ic.client](CLI::App* cmd,
                                                                        const std::string& action) {
    cmd->add_option("image", args->image, "Image (name or ID)")->required();
    cmd->add_option("project", args->project, "Project (name or ID)")->required();
    OnRun(cmd, cli, [&cli, args, client, action](Session& s) -> absl::Status {
      GUREUM_ASSIGN_OR_RETURN(auto c, client(s));
      GUREUM_ASSIGN_OR_RETURN(std::string image_id, c->Find(args->image));
      // Projects a caller cannot look up (another domain, no reader role) go by id.
      std::string project = FindProject(s, args->project).value_or(args->project);
      imv1::Member m;
      if (action == "add") {
        imv1::MemberRequest req;
        req.set_image_id(image_id);
        req.set_member_id(project);
        GUREUM_ASSIGN_OR_RETURN(m, c->Call(&imv1::Images::Stub::AddMember, req));
      } else if (action == "remove") {
        imv1::MemberRequest req;
        req.set_image_id(image_id);
        req.set_member_id(project);
        return c->Call(&imv1::Images::Stub::RemoveMember, req).status();
      } else {
        imv1::UpdateMemberRequest req;
        req.set_image_id(image_id);
        req.set_member_id(project);
        req.set_status(action);
        GUREUM_ASSIGN_OR_RETURN(m, c->Call(&imv1::Images::Stub::UpdateMember, req));
      }
      cli.Show({"image_id", "member_id", "status", "created_at", "updated_at"},
               {{"image_id", m.image_id()},
                {"member_id", m.member_id()},
                {"status", m.status()},
                {"created_at", m.created_at()},
                {"updated_at", m.updated_at()}});
      return absl::OkStatus();
    });
  };
  member_cmd(member->add_subcommand("add", "Share IMAGE with PROJECT"), "add");
  member_cmd(member->add_subcommand("remove", "Stop sharing IMAGE with PROJECT"), "remove");
  member_cmd(member->add_subcommand("accept", "Accept IMAGE shared with PROJECT"), "accepted");
  member_cmd(member->add_subcommand("reject", "Reject IMAGE shared with PROJECT"), "rejected");
  auto* mlist = member->add_subcommand("list", "List the projects IMAGE is shared with");
  mlist->add_option("image", args->image, "Image (name or ID)")->required();
  OnRun(mlist, ic.cli,
        [&cli = ic.cli, args = ic.args, client = ic.client](Session& s) -> absl::Status {
          GUREUM_ASSIGN_OR_RETURN(auto c, client(s));
          imv1::ListMembersRequest req;
          GUREUM_ASSIGN_OR_RETURN(*req.mutable_image_id(), c->Find(args->image));
          GUREUM_ASSIGN_OR_RETURN(auto resp, c->Call(&imv1::Images::Stub::ListMembers, req));
          std::vector<json> rows;
          for (const auto& m : resp.members()) {
            rows.push_back(
                {{"Image ID", m.image_id()}, {"Member ID", m.member_id()}, {"Status", m.status()}});
          }
          cli.List({"Image ID", "Member ID", "Status"}, rows);
          return absl::OkStatus();
        });
}

void AddImage(CLI::App& app, Cli& cli) {
  auto args = std::make_shared<ImageArgs>();
  auto* image = app.add_subcommand("image", "Images (image service, gRPC)")->require_subcommand(1);
  image->add_option("--os-image-grpc", args->endpoint_option,
                    "Image's gRPC API, host:port (env OS_IMAGE_GRPC; default: the host of "
                    "OS_AUTH_URL, port 19292)");
  auto client = [args](Session& s) -> absl::StatusOr<std::unique_ptr<ImageClient>> {
    GUREUM_ASSIGN_OR_RETURN(std::string endpoint, ImageEndpoint(*args, s));
    return std::make_unique<ImageClient>(s, endpoint);
  };
  const ImageCommand ic{cli, args, client};
  AddImageCreate(*image, ic);
  AddImageList(*image, ic);
  AddImageShow(*image, ic);
  AddImageSet(*image, ic);
  AddImageDelete(*image, ic);
  AddImageSave(*image, ic);
  AddImageMembers(*image, ic);
}

}  // namespace

void AddImageCommands(CLI::App& app, Cli& cli) { AddImage(app, cli); }

absl::StatusOr<std::string> FindImage(Session& s, const std::string& name_or_id) {
  GUREUM_ASSIGN_OR_RETURN(std::string endpoint, ImageEndpoint(ImageArgs{}, s));
  ImageClient client(s, endpoint);
  return client.Find(name_or_id);
}

}  // namespace gureum::cli
