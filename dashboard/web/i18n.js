// English and Korean labels. t(key) falls back to English, then to the key.
const messages = {
  en: {
    project: 'Project', language: 'Language', logout: 'Log out', login: 'Log in',
    domain: 'Domain', user: 'User name', password: 'Password',
    overview: 'Overview', instances: 'Instances', images: 'Images', networks: 'Networks',
    floating_ips: 'Floating IPs', volumes: 'Volumes', admin: 'Admin', key_pairs: 'Key pairs',
    name: 'Name', status: 'Status', actions: 'Actions', delete: 'Delete', create: 'Create',
    cancel: 'Cancel', refresh: 'Refresh', filter: 'Filter by name', next: 'Next', previous: 'Previous',
    launch: 'Launch instance', start: 'Start', stop: 'Stop', reboot: 'Reboot', console: 'Console log',
    image: 'Image', flavor: 'Flavor', network: 'Network', key_pair: 'Key pair',
    security_groups: 'Security groups', user_data: 'User data', count: 'Count', none: '(none)',
    upload: 'Upload image', file: 'File', disk_format: 'Disk format', visibility: 'Visibility',
    size: 'Size', subnet: 'Subnet', cidr: 'CIDR', create_network: 'Create network',
    allocate: 'Allocate IP', associate: 'Associate', disassociate: 'Disassociate', release: 'Release',
    port: 'Port', address: 'Address', attach: 'Attach', detach: 'Detach', create_volume: 'Create volume',
    hypervisors: 'Hypervisors', compute_services: 'Compute services', host: 'Host', state: 'State',
    no_volumes: 'Block storage (volumev3) is not in this project\'s catalog: volumes are hidden.',
    quota_usage: 'Quota usage', used: 'used', of: 'of', confirm_delete: 'Delete {name}?',
    ips: 'IP addresses', power: 'Power', task: 'Task', created: 'Created', vcpus: 'vCPUs', ram: 'RAM (MiB)',
    fingerprint: 'Fingerprint', private_key: 'Private key (save it now, it is not kept)',
    external_network: 'External network', login_failed: 'Login failed', session_ended: 'Your session has ended: log in again.',
    instance: 'Instance', volume: 'Volume', attached_to: 'Attached to', loading: 'Loading…',
    rules: 'Rules', add_rule: 'Add rule', direction: 'Direction', protocol: 'Protocol', port_min: 'From port', port_max: 'To port', description: 'Description',
    recent_activity: 'Recent activity (live)', no_activity: 'Nothing has happened since this page opened.',
    ports: 'Ports', routers: 'Routers', create_router: 'Create router', add_interface: 'Add interface', remove_interface: 'Remove interface',
    resize: 'Resize', confirm_resize: 'Confirm resize', revert_resize: 'Revert resize', edit: 'Edit',
    save: 'Save', share: 'Share', members: 'Shared with', member_project: 'Project ID', add_member: 'Share',
    remove: 'Remove', min_disk: 'Minimum disk (GiB)', import_keypair: 'Import key pair',
    public_key: 'Public key (OpenSSH)', topology: 'Topology', router: 'Router', identity_admin: 'Identity',
    projects: 'Projects', users: 'Users', roles: 'Roles', role: 'Role', assignments: 'Role assignments',
    create_project: 'Create project', create_user: 'Create user', create_role: 'Create role',
    grant_role: 'Grant role', revoke: 'Revoke', enable: 'Enable', disable: 'Disable', account: 'Account',
    change_password: 'Change password', current_password: 'Current password', new_password: 'New password',
    new_password_again: 'New password again', passwords_differ: 'The new passwords differ.',
    password_changed: 'Password changed: log in again with the new one.',
    app_credentials: 'Application credentials', app_credential: 'Application credential',
    create_app_credential: 'Create application credential', secret: 'Secret', expires: 'Expires',
    never: 'never', app_credential_secret: 'Save the secret now: it is shown only once.',
    auth_method: 'Log in with', app_cred_id: 'Application credential ID', app_cred_secret: 'Secret',
    object_storage: 'Object storage', container: 'Container', objects: 'Objects', folder: 'Folder',
    create_container: 'Create container', create_folder: 'Create folder', upload_object: 'Upload file',
    download: 'Download', public: 'public', private: 'private', make_public: 'Make public',
    make_private: 'Make private',
    no_object_store: 'Object storage (object-store) is not in this project\'s catalog: containers are hidden.',
    extend: 'Extend', new_size: 'New size', snapshot: 'Snapshot', snapshots: 'Volume snapshots',
    all_instances: 'All instances (every project)', network_agents: 'Network agents', agent_type: 'Type',
    alive: 'Alive', admin_state: 'Admin state', enabled: 'enabled', disabled: 'disabled', flavors: 'Flavors',
    create_flavor: 'Create flavor', disk: 'Disk (GiB)', binary: 'Binary', zone: 'Zone',
  },
  ko: {
    project: '프로젝트', language: '언어', logout: '로그아웃', login: '로그인',
    domain: '도메인', user: '사용자 이름', password: '비밀번호',
    overview: '개요', instances: '인스턴스', images: '이미지', networks: '네트워크',
    floating_ips: '유동 IP', volumes: '볼륨', admin: '관리', key_pairs: '키 페어',
    name: '이름', status: '상태', actions: '작업', delete: '삭제', create: '생성',
    cancel: '취소', refresh: '새로 고침', filter: '이름으로 거르기', next: '다음', previous: '이전',
    launch: '인스턴스 시작', start: '시작', stop: '정지', reboot: '재부팅', console: '콘솔 로그',
    image: '이미지', flavor: '플레이버', network: '네트워크', key_pair: '키 페어',
    security_groups: '보안 그룹', user_data: '사용자 데이터', count: '개수', none: '(없음)',
    upload: '이미지 올리기', file: '파일', disk_format: '디스크 형식', visibility: '공개 범위',
    size: '크기', subnet: '서브넷', cidr: 'CIDR', create_network: '네트워크 생성',
    allocate: 'IP 할당', associate: '연결', disassociate: '연결 해제', release: '반환',
    port: '포트', address: '주소', attach: '연결', detach: '분리', create_volume: '볼륨 생성',
    hypervisors: '하이퍼바이저', compute_services: '컴퓨트 서비스', host: '호스트', state: '상태',
    no_volumes: '블록 스토리지(volumev3)가 이 프로젝트의 카탈로그에 없어 볼륨을 숨깁니다.',
    quota_usage: '쿼터 사용량', used: '사용', of: '/', confirm_delete: '{name}을(를) 삭제할까요?',
    ips: 'IP 주소', power: '전원', task: '작업', created: '생성 시각', vcpus: 'vCPU', ram: 'RAM (MiB)',
    fingerprint: '지문', private_key: '개인 키 (지금 저장하세요. 보관되지 않습니다)',
    external_network: '외부 네트워크', login_failed: '로그인 실패', session_ended: '세션이 끝났습니다. 다시 로그인하세요.',
    instance: '인스턴스', volume: '볼륨', attached_to: '연결 대상', loading: '불러오는 중…',
    rules: '규칙', add_rule: '규칙 추가', direction: '방향', protocol: '프로토콜', port_min: '시작 포트', port_max: '끝 포트', description: '설명',
    recent_activity: '최근 활동 (실시간)', no_activity: '이 페이지를 연 뒤로 아무 일도 없었습니다.',
    ports: '포트', routers: '라우터', create_router: '라우터 생성', add_interface: '인터페이스 추가', remove_interface: '인터페이스 제거',
    resize: '크기 변경', confirm_resize: '크기 변경 확정', revert_resize: '크기 변경 되돌리기', edit: '편집', save: '저장',
    share: '공유', members: '공유 대상', member_project: '프로젝트 ID', add_member: '공유', remove: '제거',
    min_disk: '최소 디스크 (GiB)', import_keypair: '키 페어 가져오기', public_key: '공개 키 (OpenSSH)', topology: '토폴로지',
    router: '라우터', identity_admin: '아이덴티티', projects: '프로젝트', users: '사용자', roles: '역할', role: '역할',
    assignments: '역할 할당', create_project: '프로젝트 생성', create_user: '사용자 생성', create_role: '역할 생성',
    grant_role: '역할 부여', revoke: '회수', enable: '활성화', disable: '비활성화', account: '계정',
    change_password: '비밀번호 변경', current_password: '현재 비밀번호', new_password: '새 비밀번호',
    new_password_again: '새 비밀번호 확인', passwords_differ: '새 비밀번호가 서로 다릅니다.',
    password_changed: '비밀번호를 바꿨습니다. 새 비밀번호로 다시 로그인하세요.', app_credentials: '애플리케이션 자격 증명',
    app_credential: '애플리케이션 자격 증명', create_app_credential: '애플리케이션 자격 증명 생성', secret: '비밀 값', expires: '만료',
    never: '없음', app_credential_secret: '비밀 값을 지금 저장하세요. 한 번만 보여 줍니다.', auth_method: '로그인 방식',
    app_cred_id: '애플리케이션 자격 증명 ID', app_cred_secret: '비밀 값', object_storage: '오브젝트 스토리지', container: '컨테이너',
    objects: '오브젝트', folder: '폴더', create_container: '컨테이너 생성', create_folder: '폴더 생성',
    upload_object: '파일 올리기', download: '내려받기', public: '공개', private: '비공개', make_public: '공개로 전환',
    make_private: '비공개로 전환', no_object_store: '오브젝트 스토리지(object-store)가 이 프로젝트의 카탈로그에 없어 컨테이너를 숨깁니다.',
    extend: '확장', new_size: '새 크기', snapshot: '스냅샷', snapshots: '볼륨 스냅샷',
    all_instances: '모든 인스턴스 (전체 프로젝트)', network_agents: '네트워크 에이전트', agent_type: '종류',
    alive: '동작 중', admin_state: '관리 상태', enabled: '활성', disabled: '비활성', flavors: '플레이버',
    create_flavor: '플레이버 생성', disk: '디스크 (GiB)', binary: '바이너리', zone: '영역',
  },
};

let lang = localStorage.getItem('gureum.lang') || 'en';

export function t(key, vars = {}) {
  let s = (messages[lang] && messages[lang][key]) || messages.en[key] || key;
  for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, v);
  return s;
}

export function getLang() { return lang; }

export function setLang(next) {
  lang = messages[next] ? next : 'en';
  localStorage.setItem('gureum.lang', lang);
  document.documentElement.lang = lang;
  applyStatic();
}

// Labels written in index.html carry data-i18n.
export function applyStatic(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
}
