; Test guest: system registers a kernel relies on. The TLB after CR3 reloads, INVLPG and CR4.PGE
; with global and non-global pages; the single-step trap of TF (DR6.BS); DR7.GD, whose MOV DR
; raises #DB with DR6.BD and clears GD; MSRs kept as storage (SYSENTER_CS, SYSENTER_ESP) and #GP(0) on an
; MSR the CPU does not have. Every exception prints its vector, error code, where the saved EIP
; points relative to the instruction that raised it (+0 a fault, its length a trap) and, for #DB,
; DR6's status bits; the handler resumes at the given label.
; Lines starting with "kasou:" are what QEMU does differently (the test leaves them out of its
; comparison): QEMU flushes global pages on a CR3 load, which the SDM allows but a P6 does not do;
; it ignores DR7.GD (SDM vol. 3, 17.2.4: MOV DR then raises #DB); and it returns 0 from RDMSR of an
; MSR it does not have instead of raising #GP(0).
; Flat multiboot image; build: nasm -f bin sysregs.asm

        bits 32
        org 0x100000

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 0x00010000
KCODE           equ 0x08
KDATA           equ 0x10
GLOBAL_VA       equ 0x300000            ; mapped global, to frame A then B
LOCAL_VA        equ 0x301000            ; mapped non-global, to frame A then B
FRAME_A         equ 0x200000
FRAME_B         equ 0x201000

start:  jmp     entry
        align 4
header: dd      MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd      header, start, image_end, bss_end, entry

%include "lib.inc"

; EXPECT label: the next instruction should raise an exception; the handler resumes at label.
%macro EXPECT 1
        mov     dword [site], %%site
        mov     dword [resume], %1
%%site:
%endmacro

entry:
        mov     esp, stack_top
        lgdt    [gdt_pointer]
        jmp     KCODE:.flat
.flat:  mov     ax, KDATA
        mov     ds, ax
        mov     es, ax
        mov     ss, ax

        xor     ecx, ecx
.gate:  mov     eax, [stub_table + ecx * 4]
        mov     [idt + ecx * 8], ax
        mov     word [idt + ecx * 8 + 2], KCODE
        mov     word [idt + ecx * 8 + 4], 0x8E00
        shr     eax, 16
        mov     [idt + ecx * 8 + 6], ax
        inc     ecx
        cmp     ecx, 32
        jb      .gate
        lidt    [idt_pointer]

        mov     dword [FRAME_A], 0xAAAAAAAA
        mov     dword [FRAME_B], 0xBBBBBBBB

        ; Paging: the first 4 MiB identity-mapped, the two test pages on frame A.
        mov     edi, page_table
        mov     eax, 3
        mov     ecx, 1024
.pte:   stosd
        add     eax, 0x1000
        loop    .pte
        mov     dword [page_table + (GLOBAL_VA >> 12) * 4], FRAME_A | 0x103
        mov     dword [page_table + (LOCAL_VA >> 12) * 4], FRAME_A | 3
        mov     dword [page_directory], page_table + 3
        mov     eax, page_directory
        mov     cr3, eax
        mov     eax, cr4
        or      eax, 0x80               ; PGE
        mov     cr4, eax
        mov     eax, cr0
        or      eax, 0x80000000
        mov     cr0, eax

        PRINT   s_tlb
        mov     eax, [GLOBAL_VA]        ; both translations cached
        mov     eax, [LOCAL_VA]
        mov     dword [page_table + (GLOBAL_VA >> 12) * 4], FRAME_B | 0x103
        mov     dword [page_table + (LOCAL_VA >> 12) * 4], FRAME_B | 3
        mov     eax, cr3
        mov     cr3, eax
        PRINTHEX s_local, [LOCAL_VA]    ; a CR3 load drops the non-global translation
        NEWLINE
        PRINT   s_kept
        PRINTHEX s_global, [GLOBAL_VA]  ; and keeps the global one (a P6 does)
        NEWLINE
        PRINT   s_invlpg
        invlpg  [GLOBAL_VA]
        PRINTHEX s_global, [GLOBAL_VA]
        mov     dword [page_table + (GLOBAL_VA >> 12) * 4], FRAME_A | 0x103
        mov     eax, cr4                ; clearing PGE flushes the global translations too
        and     eax, ~0x80
        mov     cr4, eax
        or      eax, 0x80
        mov     cr4, eax
        PRINTHEX s_global, [GLOBAL_VA]
        NEWLINE

        PRINT   s_step
        mov     dword [steps], 0
        pushfd
        or      dword [esp], 0x100
        EXPECT  0                       ; each trap returns to where it came from
        popfd                           ; TF set by POPF: the first trap is after the next instruction
        mov     eax, 1
        mov     ebx, 2
        pushfd
        and     dword [esp], ~0x100
        popfd                           ; TF cleared by POPF: it still traps after itself
        PRINTHEX s_steps, [steps]
        NEWLINE

        PRINT   s_gd
        mov     eax, 0x2000             ; DR7.GD
        mov     dr7, eax
        EXPECT  .gd
        mov     eax, dr0
.gd:    mov     eax, dr7
        and     eax, 0x2000
        PRINTHEX s_dr7gd, eax
        NEWLINE

        PRINT   s_msr
        mov     ecx, 0x174              ; SYSENTER_CS
        mov     eax, 0x1234
        xor     edx, edx
        wrmsr
        xor     eax, eax
        rdmsr
        PRINTHEX s_eax, eax
        mov     ecx, 0x175              ; SYSENTER_ESP
        mov     eax, 0x9000
        wrmsr
        xor     eax, eax
        rdmsr
        PRINTHEX s_eax, eax
        NEWLINE
        PRINT   s_nomsr
        mov     ecx, 0x4B564D00         ; not an MSR of this CPU
        EXPECT  .nomsr
        rdmsr
.nomsr: NEWLINE

        PRINT   s_done
        EXIT    0


%assign v 0
%rep 32
        EXCEPTION_STUB v
%assign v v + 1
%endrep

; Stack: vector, error code, EIP, CS, EFLAGS. A zero resume address returns where the CPU says
; (the single-step traps, counted instead of printed: where they land depends on nothing else).
handler_common:
        push    eax
        push    ebx
        mov     ebx, [esp + 8]
        cmp     dword [resume], 0
        jne     .print
        inc     dword [steps]
        mov     eax, dr6
        test    eax, 0x4000
        jnz     .clear
        PRINTHEX s_dr6, eax             ; a trap that is not single-step
        jmp     .clear
.print: PRINTHEX s_vec, ebx
        mov     eax, [esp + 12]
        PRINTHEX s_err, eax
        mov     eax, [esp + 16]
        sub     eax, [site]
        PRINTHEX s_at, eax
        cmp     ebx, 1
        jne     .resume
        mov     eax, dr6
        and     eax, 0xE00F             ; BT, BS, BD, B0-B3
        PRINTHEX s_dr6, eax
.resume:
        mov     eax, [resume]
        mov     [esp + 16], eax
.clear: xor     eax, eax
        mov     dr6, eax
        pop     ebx
        pop     eax
        add     esp, 8
        iretd

        align 8
gdt:    dq      0
        dq      0x00CF9A000000FFFF      ; 0x08 code
        dq      0x00CF92000000FFFF      ; 0x10 data
gdt_end:
gdt_pointer:
        dw      gdt_end - gdt - 1
        dd      gdt
idt_pointer:
        dw      32 * 8 - 1
        dd      idt
stub_table:
%assign v 0
%rep 32
        dd      stub_ %+ v
%assign v v + 1
%endrep

s_tlb:    db "cr3 reload: ", 0
s_local:  db "non-global=", 0
s_kept:   db "kasou: cr3 reload: ", 0
s_global: db "global=", 0
s_invlpg: db "invlpg, then pge toggled: ", 0
s_step:   db "single-step: ", 0
s_steps:  db "traps=", 0
s_gd:     db "kasou: dr7.gd: ", 0
s_dr7gd:  db "gd after=", 0
s_msr:    db "msr storage: ", 0
s_nomsr:  db "kasou: unknown msr: ", 0
s_vec:    db "vec=", 0
s_err:    db "err=", 0
s_at:     db "at=+", 0
s_dr6:    db "dr6=", 0
s_eax:    db "eax=", 0
s_done:   db "done", 10, 0

        align 4
image_end:

        absolute image_end
        alignb  4096
page_directory: resb 4096
page_table:     resb 4096
idt:            resb 32 * 8
site:           resd 1
resume:         resd 1
steps:          resd 1
        alignb  16
                resb 8192
stack_top:
bss_end:
