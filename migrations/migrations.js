import journal from './meta/_journal.json';
import m0000 from './0000_init.sql';
import m0001 from './0001_append_only_triggers.sql';
import m0002 from './0002_ref_events_push_index.sql';
import m0003 from './0003_archival.sql';
import m0004 from './0004_dofs_chunk_size.sql';
import m0005 from './0005_pack_retired_at.sql';
import m0006 from './0006_access_control.sql';
import m0007 from './0007_settings_events_append_only.sql';
import m0008 from './0008_lfs.sql';
import m0009 from './0009_lfs_lock_events_append_only.sql';
import m0010 from './0010_commit_graph.sql';
import m0011 from './0011_repo_management.sql';
import m0012 from './0012_registry_events_append_only.sql';
import m0013 from './0013_mirrors.sql';
import m0014 from './0014_peeled_tags.sql';

  export default {
    journal,
    migrations: {
      m0000,
m0001,
m0002,
m0003,
m0004,
m0005,
m0006,
m0007,
m0008,
m0009,
m0010,
m0011,
m0012,
m0013,
m0014
    }
  }
  